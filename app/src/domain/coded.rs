//! Enums stored and posted as short codes, shown with labels.

/// Declare an enum whose variants each have a stored code and a label for people.
#[macro_export]
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// A stored code (rows decode coded columns through this).
            pub fn from_stored(code: String) -> Result<Self, $crate::domain::coded::UnknownCode> {
                Self::from_code(&code).ok_or($crate::domain::coded::UnknownCode(code))
            }

            /// A posted code, or `message` against `field` when none (or an unknown one) was chosen.
            pub fn parse(field: &str, code: &str, message: &str) -> Result<Self, $crate::error::FieldError> {
                Self::from_code(code.trim()).ok_or_else(|| $crate::error::FieldError::new(field, message))
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::domain::coded::UnknownCode;
            fn try_from(code: String) -> Result<Self, Self::Error> {
                Self::from_stored(code)
            }
        }
    };
}

/// A stored code this build does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stored code {0:?}")]
pub struct UnknownCode(pub String);

#[cfg(test)]
mod tests {
    crate::coded_enum!(Colour {
        Red = ("red", "Red"),
        Sea = ("sea_green", "Sea green"),
    });

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for c in Colour::ALL {
            assert_eq!(Colour::from_code(c.code()), Some(*c));
        }
        assert_eq!(Colour::Sea.label(), "Sea green");
        assert_eq!(
            Colour::parse("colour", "blue", "Select a colour")
                .unwrap_err()
                .message,
            "Select a colour"
        );
    }
}
