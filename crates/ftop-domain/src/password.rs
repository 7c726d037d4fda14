//! The password rule, in one place: every way of setting a password (`ftop user add`,
//! `ftop user password`, any API that sets one) calls [`password_problems`].
//!
//! A password has at least [`MIN_PASSWORD_CHARS`] characters, is not one of the common
//! passwords that zxcvbn ships (its list of frequently used passwords, matched whole, also
//! reversed or with l33t substitutions), is not guessable within about a million tries by
//! zxcvbn's estimate (sequences, repeats, keyboard rows) and does not contain the user's name.

use crate::{Errors, FieldError};

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A user name this long or longer must not appear in the password.
pub(crate) const NAME_CHARS_LOOKED_FOR: usize = 3;

/// Records on `e` (field `password`) every reason `password` is refused for the user
/// `name`. The messages are the only texts of the rule.
pub fn password_problems(name: &str, password: &str, e: &mut Errors) {
    // Never quoted in a message, even in part.
    let max = crate::limits::PASSWORD.max;
    if password.chars().count() as u64 > max {
        e.push(FieldError::of("password", "invalid-too-long").with("max", max));
        return;
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        e.push(
            FieldError::of("password", "invalid-password-short").with("min", MIN_PASSWORD_CHARS),
        );
        return;
    }
    // A name of a few letters (`ad`, `pa`) is found inside many good passwords by chance;
    // only a name long enough to be a guess of its own is looked for.
    let name = name.trim().to_lowercase();
    if name.chars().count() >= NAME_CHARS_LOOKED_FOR && password.to_lowercase().contains(&name) {
        e.push(FieldError::of("password", "invalid-password-has-name"));
        return;
    }
    if is_common(password) {
        e.push(FieldError::of("password", "invalid-password-common"));
    } else if zxcvbn::zxcvbn(password, &[&name]).score() < zxcvbn::Score::Two {
        e.push(FieldError::of("password", "invalid-password-guessable"));
    }
}

/// Is the whole password one entry of zxcvbn's common-password list (also reversed or in
/// l33t spelling, any letter case)?
fn is_common(password: &str) -> bool {
    let entropy = zxcvbn::zxcvbn(password, &[]);
    let common = |m: &zxcvbn::Match| match &m.pattern {
        // The list's type is not exported; `Passwords` is its default value.
        zxcvbn::matching::patterns::MatchPattern::Dictionary(d) => {
            d.dictionary_name == Default::default()
        }
        _ => false,
    };
    let seq = entropy.sequence();
    // One match covering the whole password, or the same word repeated.
    seq.len() == 1 && (common(&seq[0]) || repeats_common(&seq[0]))
}

fn repeats_common(m: &zxcvbn::Match) -> bool {
    match &m.pattern {
        zxcvbn::matching::patterns::MatchPattern::Repeat(r) => {
            r.base_matches.len() == 1 && is_common(&r.base_token)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(name: &str, pw: &str) -> Vec<String> {
        let mut e = Errors::default();
        password_problems(name, pw, &mut e);
        match e.finish() {
            Ok(()) => vec![],
            Err(i) => {
                i.0.into_iter()
                    .map(|f| f.message(crate::text::Lang::En))
                    .collect()
            }
        }
    }

    #[test]
    fn short_common_and_own_name_passwords_are_refused() {
        assert_eq!(problems("ann", "12345678").len(), 1, "eight characters");
        assert_eq!(problems("ann", "abcdefghijk").len(), 1, "eleven characters");
        for common in [
            "123456789012",
            "passwordpassword",
            "qwertyuiop123",
            "Password1234",
        ] {
            assert!(!problems("ann", common).is_empty(), "{common}");
        }
        assert!(!problems("margaret.h", "margaret.h-2026!").is_empty());
        assert!(
            !problems("Bob", "my BOB is the best").is_empty(),
            "any case"
        );
    }

    #[test]
    fn long_uncommon_passwords_pass() {
        for ok in [
            "a good password",
            "correct horse battery",
            "tide-Mango-47-lamp",
            "another password",
            "partner password",
            "a long enough password",
            "demo-root-pass",
            "demo-manager-pass",
            "demo-engineer-pass",
            "demo-partner-pass",
            "demo-guest-pass",
            "rose garden window",
        ] {
            assert_eq!(problems("ann", ok), Vec::<String>::new(), "{ok}");
        }
        // Two-letter names are not looked for: `pa` is in every `password`.
        assert_eq!(problems("pa", "a good password"), Vec::<String>::new());
    }
}
