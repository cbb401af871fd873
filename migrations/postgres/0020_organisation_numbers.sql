-- A charity or company is registered once: registering looks up its number.
CREATE INDEX IF NOT EXISTS organisations_charity_number ON organisations (charity_number);
CREATE INDEX IF NOT EXISTS organisations_company_number ON organisations (company_number);
