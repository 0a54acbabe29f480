//! The one macro for a coded vocabulary: an enum whose every value has a stable code (what the
//! database, forms and spreadsheets hold) and a label (what people read), with `ALL` in the
//! order lists show them, `code()`, `label()` and `parse(code)`. Codes are stored: never change
//! one, add a value instead.

/// `vocabulary!(/// doc  Name { Variant => "code", "Label"; ... });`, with attributes on the
/// enum (more derives, serde) and on each value (docs, `#[default]`) passed through.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => $code:literal, $label:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$variant_meta])* $variant ),+
        }

        impl $name {
            /// Every value, in the order lists show them.
            pub const ALL: [$name; [$($code),+].len()] = [$(Self::$variant),+];

            /// The stored code.
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }

            /// What people read.
            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }

            /// The value of a stored or posted code; `None` for anything else.
            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|value| value.code() == code)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    vocabulary!(
        /// A vocabulary for the test.
        Colour {
            Red => "red", "Red";
            /// The second.
            Green => "green", "Green";
        }
    );

    #[test]
    fn codes_labels_and_parse_agree() {
        assert_eq!(Colour::ALL, [Colour::Red, Colour::Green]);
        for colour in Colour::ALL {
            assert_eq!(Colour::parse(colour.code()), Some(colour));
        }
        assert_eq!(Colour::Green.label(), "Green");
        assert_eq!(Colour::parse("Red"), None);
    }
}
