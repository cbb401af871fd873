use serde::{Deserialize, Serialize};

/// Roles an admin grants. Being an applicant comes from membership of an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    BoardMember,
    LayEvaluator,
    Commissioner,
    /// Signs off the Board's recommended awards for one pooled-fund partner.
    PartnerApprover,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::BoardMember,
        Role::LayEvaluator,
        Role::Commissioner,
        Role::PartnerApprover,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::BoardMember => "board_member",
            Role::LayEvaluator => "lay_evaluator",
            Role::Commissioner => "commissioner",
            Role::PartnerApprover => "partner_approver",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::BoardMember => "Board member",
            Role::LayEvaluator => "Lay evaluator",
            Role::Commissioner => "Commissioner",
            Role::PartnerApprover => "Partner approver",
            Role::Admin => "Admin",
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            Role::BoardMember => {
                "Declares conflicts, scores bids on every criterion, moderates and recommends"
            }
            Role::LayEvaluator => {
                "Scores only the questionnaire sections assigned to the lay panel"
            }
            Role::Commissioner => {
                "Manages the pooled fund, runs rounds, awards grants and monitors schemes"
            }
            Role::PartnerApprover => {
                "Signs off the Board's recommended awards for one pooled-fund partner"
            }
            Role::Admin => "Manages user accounts and roles",
        }
    }
}

/// Decide the new set of roles from the checkboxes an admin ticked.
/// An admin may not remove their own admin role (someone must be able to manage accounts).
pub fn change_roles(
    acting_on_self: bool,
    current: &[Role],
    requested_codes: &[String],
) -> Result<Vec<Role>, super::FieldError> {
    let mut roles = Vec::new();
    for code in requested_codes {
        let role = Role::from_code(code)
            .ok_or_else(|| super::FieldError::new("roles", "Select roles from the list"))?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    if acting_on_self && current.contains(&Role::Admin) && !roles.contains(&Role::Admin) {
        return Err(super::FieldError::new(
            "roles",
            "You cannot remove your own admin role. Ask another admin to do it",
        ));
    }
    roles.sort();
    Ok(roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("superuser"), None);
    }

    #[test]
    fn admin_cannot_remove_own_admin_role() {
        let err = change_roles(true, &[Role::Admin], &["commissioner".into()]).unwrap_err();
        assert!(err.message.contains("cannot remove your own admin role"));
        let ok = change_roles(false, &[Role::Admin], &["commissioner".into()]).unwrap();
        assert_eq!(ok, vec![Role::Commissioner]);
    }

    #[test]
    fn unknown_roles_are_refused_and_duplicates_collapse() {
        assert!(change_roles(false, &[], &["root".into()]).is_err());
        let roles = change_roles(
            false,
            &[],
            &["admin".into(), "admin".into(), "board_member".into()],
        )
        .unwrap();
        assert_eq!(roles, vec![Role::BoardMember, Role::Admin]);
    }
}
