-- The data generation is called what it is: an epoch (app::db::epoch, app::cache).
ALTER TABLE data_generation RENAME TO data_epoch;
