"""Checks of scripts/schemathesis beyond schemathesis's own.

A schema-valid request that an operation of scripts/schemathesis.toml refuses with 422 must
be refused by a business rule the document cannot state (stored data, today's date, several
fields at once), named by the field error's code. Any other 422 to a schema-valid request
(a property the server cannot read, a length or choice the document does not declare)
means the document and the server disagree, and fails the run.
"""

import schemathesis

# Field error codes (crates/ftop-domain/locales/en.ftl) of rules that depend on stored
# data, on today's date or on several fields together.
BUSINESS_RULES = {
    # tasks: which apply to the tenant and its services, what a change must say
    "invalid-task-not-for-tenant",
    "invalid-task-not-applicable",
    "invalid-task-not-applicable-service",
    "invalid-task-unknown",
    # dates against today
    "invalid-time-future",
    "invalid-date-not-future",
    "invalid-target-date-past",
    # services a tenant holds
    "invalid-service-not-of-tenant",
    "invalid-service-not-entitled",
    # a saved note needs a text; Suggest needs a note that is more than spaces
    "invalid-note-body-empty",
    "invalid-suggest-empty",
    # a delivery team is named on one line (the schema's strings may hold line breaks)
    "invalid-team-one-line",
    # a data migration: only for eligible services (stored seats), rows that add up to the
    # service's stored In Progress and Blocked entitlements and suit the service, dates in
    # order, a reason or rows and dates depending on whether Microsoft performs it
    "invalid-migration-not-eligible",
    "invalid-migration-types-sum",
    "invalid-migration-types-none",
    "invalid-migration-nothing-due",
    "invalid-migration-type-service",
    "invalid-migration-end-before-start",
    "invalid-migration-only-declined",
    "invalid-migration-only-performing",
    "invalid-migration-reason-needed",
    # an enterprise status's required texts are more than spaces; its next update is today
    # or later
    "invalid-enterprise-required",
    "invalid-enterprise-next-update-past",
    # a surveyed contact needs the fields a survey uses
    "invalid-survey-customer-only",
    "invalid-survey-engaged",
    "invalid-survey-email",
    "invalid-survey-country",
    "invalid-survey-language",
    "invalid-survey-services",
    # a contact's country and survey language are codes of the ISO lists (the document
    # cannot list them all)
    "invalid-country-code",
    "invalid-language-code",
    # forecast dates: required together and in order
    "invalid-submitted-required",
    "invalid-target-10-required",
    "invalid-target-max-required",
    "invalid-after-submitted",
    "invalid-after-target-10",
    # status rows: they add up to the entitlements, reasons fit their status
    "invalid-rows-none",
    "invalid-rows-too-few",
    "invalid-rows-too-many",
    "invalid-rows-duplicate",
    "invalid-row-empty",
    "invalid-reason-required",
    "invalid-reason-not-taken",
    "invalid-reason-use-key",
    "invalid-reason-other-status",
    "invalid-reason-unknown",
    "invalid-engineering-without-reason",
    "invalid-engineering-none",
    "invalid-engineering-use-key",
    "invalid-engineering-unknown",
    "invalid-target-date-not-taken",
    "invalid-target-date-required",
    "invalid-owner-not-taken",
    "invalid-owner-blank",
    # a user's drafts are limited in number
    "invalid-drafts-full",
    # accounts: the password rule (common and guessable passwords, the user's name in it),
    # names already taken, one's own account, the organisation a partner user needs, the
    # letters of a user name (any script's: JSON Schema patterns here cannot name Unicode
    # classes) and a wrong current password
    "invalid-password-has-name",
    "invalid-password-common",
    "invalid-password-guessable",
    "invalid-password-current",
    "invalid-user-exists",
    "invalid-user-name",
    "invalid-user-self-role",
    "invalid-user-self-active",
    "invalid-user-self-password",
    "invalid-partner-required",
    "invalid-partner-only",
    "invalid-partner-unknown",
    "invalid-partner-admin-only",
    "invalid-partner-exists",
    # a name of only spaces (Unicode's, which JSON Schema's \S does not all know)
    "invalid-partner-name",
    "invalid-contact-name",
    "invalid-token-label",
    "invalid-sso-link",
    # assignments: who exists and fits the role, the tenant's services, one person and one
    # primary per role and level
    "invalid-user-unknown",
    "invalid-assignment-user-role",
    "invalid-user-inactive",
    "invalid-assignment-twice",
    "invalid-assignment-primary-twice",
    "invalid-service-unknown",
    "invalid-reassign-same",
    # new tenants: the ID's and name's formats, names taken, services and seats
    "invalid-tenant-id",
    "invalid-tenant-name",
    "invalid-tenant-name-taken",
    "invalid-service-unknown-example",
    "invalid-service-twice",
    "invalid-qualified-range",
    "invalid-customer-name",
    "invalid-reassign-role",
    # an eligibility exception says why
    "invalid-exception-reason-required",
    # the usage file's content (a CSV the document describes as text)
    "invalid-csv",
    "invalid-untranslated",
}


def _positive(case):
    meta = getattr(case, "meta", None)
    generation = getattr(meta, "generation", None) if meta is not None else None
    mode = getattr(generation, "mode", None)
    return mode is not None and mode.is_positive


@schemathesis.check
def refusals_name_a_business_rule(ctx, response, case):
    if response.status_code != 422 or not _positive(case):
        return None
    try:
        error = response.json()["error"]
        codes = [f["code"] for f in error.get("fields", [])]
    except Exception as e:  # the envelope itself is checked by the response schema
        raise AssertionError(f"a 422 outside the error envelope: {e}") from None
    others = [c for c in codes if c not in BUSINESS_RULES]
    if error.get("code") == "refused":
        return None
    if not codes or others:
        raise AssertionError(
            "a schema-valid request was refused by a rule the document could state: "
            + (", ".join(others) if others else "no field named")
        )
    return None
