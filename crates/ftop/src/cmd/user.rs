//! `ftop user add|list|disable|enable|password` and `ftop token create|list|revoke`.

use crate::db;
use anyhow::Context;
use clap::Subcommand;
use ftop_domain::UserRole;
use std::io::Read;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub(crate) enum UserCommand {
    /// Add a local account. The password is read from standard input.
    Add {
        /// Sign-in name.
        name: String,
        /// Role: admin, manager, engineer, partner or guest.
        #[arg(long)]
        role: String,
        /// Partner organisation (required for partners).
        #[arg(long)]
        partner: Option<String>,
        /// Read the password from standard input (its first line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List accounts.
    List,
    /// Disable an account: its sessions end and its API tokens are revoked at once.
    Disable {
        /// Sign-in name.
        name: String,
    },
    /// Enable a disabled account again (it signs in with its password; tokens stay revoked).
    Enable {
        /// Sign-in name.
        name: String,
    },
    /// Set an account's password, read from standard input (its first line); the
    /// account's sessions end.
    Password {
        /// Sign-in name.
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum TokenCommand {
    /// Create an API bearer token for a user; the token is printed on the last line, once.
    Create {
        /// The user the token acts as.
        user: String,
        /// What the token is for.
        #[arg(long, default_value = "api")]
        label: String,
        /// Days until the token expires (default 90), or `never`.
        #[arg(long, default_value = "90")]
        expires: String,
    },
    /// List API tokens (never the tokens themselves), of one user or all.
    List {
        /// Only this user's tokens.
        user: Option<String>,
    },
    /// Revoke an API token by the ID `ftop token list` shows.
    Revoke {
        /// Token ID.
        id: i64,
    },
}

/// The first line of standard input.
fn password_from_stdin() -> anyhow::Result<String> {
    let mut pw = String::new();
    std::io::stdin()
        .read_to_string(&mut pw)
        .context("cannot read the password from standard input")?;
    Ok(pw.lines().next().unwrap_or("").to_string())
}

pub(crate) fn run_user(database: &str, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    db::runtime()?.block_on(async {
        let store = db::open(database).await?;
        match cmd {
            UserCommand::Add {
                name,
                role,
                partner,
                password_stdin: _,
            } => {
                let role = UserRole::parse(&role).ok_or_else(|| {
                    anyhow::anyhow!(
                        "`{role}` is not a role: use admin, manager, engineer, partner or guest"
                    )
                })?;
                let pw = password_from_stdin()?;
                let u = store
                    .add_user(&db::cli_actor(), &name, role, &pw, partner.as_deref())
                    .await
                    .map_err(db::explain)?;
                println!("added user {} ({})", u.name, u.role.name());
            }
            UserCommand::List => {
                for u in store.users().await.map_err(db::explain)? {
                    println!(
                        "{:<24} {:<20} {}",
                        u.name,
                        u.role.name(),
                        u.partner.unwrap_or_default()
                    );
                }
            }
            UserCommand::Disable { name } => {
                store
                    .set_user_disabled(&db::cli_actor(), &name, true)
                    .await
                    .map_err(db::explain)?;
                println!("disabled user {name}; its sessions and tokens have ended");
            }
            UserCommand::Enable { name } => {
                store
                    .set_user_disabled(&db::cli_actor(), &name, false)
                    .await
                    .map_err(db::explain)?;
                println!("enabled user {name}");
            }
            UserCommand::Password { name } => {
                let pw = password_from_stdin()?;
                store
                    .set_password(&db::cli_actor(), &name, &pw)
                    .await
                    .map_err(db::explain)?;
                println!("set the password of {name}; its sessions have ended");
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

pub(crate) fn run_token(database: &str, cmd: TokenCommand) -> anyhow::Result<ExitCode> {
    db::runtime()?.block_on(async {
        let store = db::open(database).await?;
        match cmd {
            TokenCommand::Create {
                user,
                label,
                expires,
            } => {
                let days = if expires.eq_ignore_ascii_case("never") {
                    None
                } else {
                    Some(expires.parse::<i64>().map_err(|_| {
                        anyhow::anyhow!("--expires takes a number of days or `never`, not `{expires}`")
                    })?)
                };
                let token = store
                    .create_token_expiring(&db::cli_actor(), &user, &label, days)
                    .await
                    .map_err(db::explain)?;
                match days {
                    Some(d) => println!(
                        "created a token for {user}, valid for {d} days; keep it secret, it is not shown again:"
                    ),
                    None => println!(
                        "created a token for {user} that never expires; keep it secret, it is not shown again:"
                    ),
                }
                println!("{token}");
            }
            TokenCommand::List { user } => {
                for t in store.tokens(user.as_deref()).await.map_err(db::explain)? {
                    let expires = match (&t.expires_at, t.expired) {
                        (Some(e), true) => format!("expired {e}"),
                        (Some(e), false) => format!("expires {e}"),
                        (None, _) => "never expires".to_string(),
                    };
                    println!("{:<6} {:<20} {:<20} created {}  {expires}", t.id, t.user, t.label, t.created_at);
                }
            }
            TokenCommand::Revoke { id } => {
                if store
                    .revoke_token(&db::cli_actor(), id)
                    .await
                    .map_err(db::explain)?
                {
                    println!("revoked token {id}");
                } else {
                    anyhow::bail!("there is no token {id} (see `ftop token list`)");
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
