//! `ftop user add` and `ftop token create`.

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
    },
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
                let mut pw = String::new();
                std::io::stdin()
                    .read_to_string(&mut pw)
                    .context("cannot read the password from standard input")?;
                let pw = pw.lines().next().unwrap_or("").to_string();
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
        }
        Ok(ExitCode::SUCCESS)
    })
}

pub(crate) fn run_token(database: &str, cmd: TokenCommand) -> anyhow::Result<ExitCode> {
    let TokenCommand::Create { user, label } = cmd;
    db::runtime()?.block_on(async {
        let store = db::open(database).await?;
        let token = store
            .create_token(&db::cli_actor(), &user, &label)
            .await
            .map_err(db::explain)?;
        println!("created a token for {user}; keep it secret, it is not shown again:");
        println!("{token}");
        Ok(ExitCode::SUCCESS)
    })
}
