//! The Board: who its members represent. The Preventative Services Market Development Board
//! brings together the community and voluntary sector, adult social care, the NHS, the
//! council and carers; each board member represents one of them.
use super::roles::Role;
use super::FieldError;
use crate::coded_enum;

coded_enum!(
    Constituency {
        VoluntarySector = ("vcs", "Voluntary and community sector"),
        AdultSocialCare = ("adult_social_care", "Adult social care"),
        Nhs = ("nhs", "NHS"),
        Council = ("council", "Council"),
        Carers = ("carers", "Carers"),
        PeopleWhoUseServices = ("people", "People who use services"),
    }
);

/// The constituency an admin chose for someone with these roles: a board member must
/// represent one; anyone else represents none (whatever was posted).
pub fn constituency_for(roles: &[Role], typed: &str) -> Result<Option<Constituency>, FieldError> {
    if !roles.contains(&Role::BoardMember) {
        return Ok(None);
    }
    Constituency::parse(
        "constituency",
        typed,
        "Select who this board member represents",
    )
    .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_board_member_represents_a_constituency() {
        let board = [Role::BoardMember];
        assert_eq!(constituency_for(&board, "nhs"), Ok(Some(Constituency::Nhs)));
        assert_eq!(
            constituency_for(&board, "").unwrap_err().message,
            "Select who this board member represents"
        );
        assert_eq!(constituency_for(&[Role::LayEvaluator], "nhs"), Ok(None));
        assert_eq!(Constituency::Carers.label(), "Carers");
    }
}
