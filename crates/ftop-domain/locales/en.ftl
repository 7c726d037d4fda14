# ftop's user interface in English (the fallback language).
# One message per term: a word used on several pages is one message, reused.
# Ids are kebab-case; enumerated values are PREFIX-KEY (task-status-complete, ...).

language-name = English

## Shell: header, navigation, sign-in, errors

app = ftop
sign-in = Sign in
sign-out = Sign out
name = Name
password = Password
bad-sign-in = The name or the password is wrong.
language = Language
not-found = Not found
portfolio = Portfolio
adoption = Adoption
notes = Notes
playbook = Playbook

## Words shared by several pages

tenants = Tenants
tenant = Tenant
customer = Customer
status = Status
priority = Priority
services = Services
service = Service
seats = Seats
entitlements = Entitlements
task = Task
task-id = Task ID
tenant-id = Tenant ID
phase = Phase
role = Role
mandatory = Mandatory
optional = Optional
save = Save
saved = Saved.
search = Search
filter = Filter
previous = Previous
next = Next
pages-nav = Pages
date = Date
when = When
who = Who
what = What
date-time-utc = { $year }-{ $month }-{ $day } { $time } UTC
percent-value = { $value }%
points-value = { $value } pts
decimal-mark = .
note = Note
category = Category
owner = Owner
milestone = Milestone
share = Share
total = Total
yes = Yes
no = No
id = ID
download-csv = Download CSV
read-only = Read-only: you are not assigned to this tenant.
conflict = Someone changed this task first. The page shows the current state; apply your change again.
conflict-kept = Someone saved this meanwhile. What you typed is kept below; saving it again replaces their change (reload the page first to see it).
# A bar's tooltip: "Blocked: 3 of 40 (8%)".
share-of = { $label }: { $count } of { $total } ({ $percent }%)
au = AU
as-of = as of { $date }

## Tenant grid (home)

my-active = My active tenants
my-inactive = My inactive tenants
all-tenants = All tenants
page-size = Rows per page
no-tenants = No tenant matches.
overall-status = Overall status
tenant-search-placeholder = contoso
tripwire-blocked = blocked
tripwire-blocked-title = The tenant's overall status is Blocked.
tripwire-unassigned = no assignment
tripwire-unassigned-title = Nobody is assigned to this tenant.

## Tenant page: tabs

tenant-tabs = Tenant sections
usage = Usage
time = Time
contacts = Contacts
partners = Partners
eligibility = Eligibility
history = History

## Tenant page: Status tab

status-date = Status date
status-note = Status note
new-note = Write a note
next-action = Next action
save-draft = Save draft
open-full-editor = Open the full editor (templates, escalation, next action date and owner)

## Tenant page: Playbook tab and task page

all-services = All services
tenant-wide = Tenant-wide
all-phases = All phases
no-task-matches = No task matches.
process = Process
step = Step
last-change = Last change
percent-complete = Percent complete
minutes = Minutes
timer-start = Start timer
timer-stop = Stop and fill in the minutes
timer-running = Timer running: { $time }
time-total = { $minutes } min
task-saved = Task { $task }: saved.

## Tenant page: Services tab

l1 = L1
l2 = L2
l3 = L3
target-date = Target date
rows-add-up = The rows must add up to the entitlements.
suggest = Suggest
suggest-hint = Proposes the status and reason from the note of the row
suggest-row = Suggest a status and reason for row { $row }
suggested = Suggested for row { $row }: { $status } · { $reason } ({ $confidence }% sure). Check it, then save.
suggest-unsure = No suggestion for row { $row }: the note does not point clearly to one reason (best guess { $reason }, { $confidence }% sure).
suggest-nothing = No suggestion for row { $row }: none of the note's words tell a reason apart.
reasons-explained = What each reason means
rows-total = { $placed } of { $total } entitlements placed
owner-unassigned = (not assigned)
delivery = Delivery
engagement-scenario = Engagement scenario
engagement-start-date = Engagement start date
delivery-teams = Delivery teams (one per line)
save-delivery = Save delivery
delivery-managers-only = Only FastTrack managers and administrators change a service's delivery.
credited-partner-named = Adoption growth is credited to the partner: { $who }, the primary partner regional manager.
credited-partner = Adoption growth is credited to the partner; no partner regional manager is primary for it yet.
credited-fasttrack-named = Adoption growth is credited to FastTrack: { $who }, the primary FastTrack manager.
credited-fasttrack = Adoption growth is credited to FastTrack; no FastTrack manager is primary for it yet.
credited-nobody = Adoption growth is credited to nobody in the program with this scenario.
engagement-scenario-ftp-led = Partner-led (FTC-FTP Led)
engagement-scenario-customer-led-ftp-assist = Customer-led with partner assist
engagement-scenario-css-led = FastTrack-led (FTC-CSS Led)
engagement-scenario-customer-led = Customer-led
engagement-scenario-cxp = CXP
engagement-scenario-non-fasttrack-partner-led = Led by a partner outside FastTrack
service-heading = { $service } · { $entitlements } entitlements, { $qualified } qualified

## Tenant page: Services tab, forecast

forecast-heading = Active Usage and forecast
forecast = Forecast
reached = Reached
forecast-submitted = Submitted (RFA)
forecast-target-10 = Target 10%
forecast-target-40 = Target 40% (optional)
forecast-target-max = Target max AU
forecast-save = Save forecast
forecast-history = Forecast history
forecast-rfa = RFA
forecast-max = max

## Tenant page: Contacts, Partners and Eligibility tabs

email = E-mail
contact-kind = Kind
contact-title = Title
survey = Survey
delete = Delete
add-contact = Add a contact
country = Country
engaged = Engaged
survey-eligible = Survey eligible
survey-language = Survey language
services-comma-separated = Services (comma-separated)
partner-company = Partner company
desires-assistance = Desires partner assistance
remove-partner = Remove
confirm-remove-partner = Confirm removal of this organisation's access
confirm-delete-contact = Delete this contact for good
contact-edit = Edit contact
time-edit = Correct a time entry
confirm-delete-time = Delete this entry for good
phone = Phone
edit = Edit
eligible-seats = Seats that count
eligible-program = Program (150 seats or an exception)
eligible-migration = Data migration (more than 500 seats)
eligible-enterprise = Enterprise benefits (20,000 seats or an exception)
eligible-adoption-benefit = Additional adoption benefit

## Tenant page: History tab (one sentence per change; { $thing } is one of the history-thing-* messages)

history-created = { $thing } added
history-updated = { $thing } changed
history-updated-fields = { $thing }: { $fields } changed
history-deleted = { $thing } removed
history-recorded = { $thing }: change recorded
history-thing-tenant = Tenant
history-thing-task = Task { $task }
history-thing-task-service = Task { $task } ({ $service })
history-thing-task-named = Task { $task } · { $name }
history-thing-task-service-named = Task { $task } · { $name } ({ $service })
history-thing-note = Note { $id }
history-thing-contact = Contact { $id }
history-thing-time = Time entry { $id }
history-thing-service = Service { $service }
history-thing-status-rows = Status rows of { $service }
history-thing-forecast = Forecast for { $service }
history-thing-delivery = Delivery of { $service }
history-thing-playbook = Playbook version { $version }
history-thing-seats = Qualified seats of { $service }
history-thing-assignment = Assignment of { $user }
history-thing-partner = Partner company { $partner }
history-thing-other = Record { $id }
# A changed value's value before the change.
history-was = (was { $value })
history-empty = No changes recorded yet.
history-none-match = No change matches these filters.
history-kind = Kind of change
history-any-kind = Every kind
history-who = Made by
history-anyone = Anyone
history-filter = Show
history-kind-tenant = Tenant record
history-kind-task = Tasks
history-kind-note = Notes
history-kind-contact = Contacts
history-kind-time = Time entries
history-kind-service = Services
history-kind-entitlement-status = Status rows (L1/L2/L3)
history-kind-forecast = Forecasts
history-kind-seats = Seats
history-kind-assignment = Assignments
history-kind-tenant-partner = Partner companies
history-kind-delivery = Delivery (engagement scenario)
history-kind-playbook = Playbook upgrades
## Tenant page: Usage tab

no-services = This tenant has no services.
adoption-success = Success
adoption-success-yes = every service the customer intends to use is at 10% or more
adoption-success-none-intended = no service is marked as intended
adoption-success-not-yet = not yet: some intended services are under 10%
download-all-figures = Download all figures (CSV)
active-usage = Active Usage
# The description of an Active Usage chart, for screen readers.
usage-trend-description = Active Usage from { $from } to { $to }: { $first } → { $last }
no-usage-figures = No usage figures yet.
reached-on = reached { $date }
users-needed =
    { $count ->
        [one] { $count } more active user needed
       *[other] { $count } more active users needed
    }
enablement = Enablement
enablement-complete = complete
enablement-not-yet = not yet
usage-thresholds = Dashed lines: the 10% and 40% milestones.
figures = Figures
active-users = Active users
qualified-seats = Qualified seats
milestone-dates = 10% milestone: { $ten } · 40%: { $forty }

## Portfolio

portfolio-all = All tenants I may see
portfolio-mine = Assigned to me
active = Active
inactive = Inactive
share-of-tenants = Share of tenants
primary-manager = Primary FastTrack Manager
unassigned = Unassigned
current-phase = Current phase
no-playbook = No playbook is loaded.
all-phases-complete = All phases complete
current-phase-rule = A tenant's current phase is the first phase whose mandatory tenant-wide tasks are not all Complete or Not Required.

## Adoption dashboard

milestones-reached = Milestones reached
this-month = this month
this-quarter = this quarter
group-by = Group by
partner = Partner
manager = Manager
only-my-tenants = Only my tenants
services-by-bucket = Services by Active Usage bucket
engaged-with-seats = Engaged (with qualified seats)
reached-10 = Reached 10%
reached-40 = Reached 40%
tenants-converted = Tenants converted (10% / 40%)
reached-in-window = Reached in { $from } – { $to }
by-service = By service
by-bucket = { $name } by bucket
in-window-10 = 10% in window
in-window-40 = 40% in window
forecast-against-actual = Forecast against actual
by-partner = By partner
no-partner = (no partner)
another-partner = (another partner organisation)
by-manager = By manager
no-manager = (unassigned)
# Services with qualified seats (not the contacts' "engaged").
adoption-engaged = Engaged
overdue-10 = Overdue 10% forecasts
adoption-rows = Adoption: services
no-service-matches = No service matches.
active-of-qualified = Active / qualified
bucket = Bucket
as-of-heading = As of
forecast-10 = 10% forecast

## Notes library and editor

notes-library = Notes library
all-categories = All categories
escalated-only = Escalated only
my-notes = My notes
my-drafts = My drafts
no-drafts = You have no drafts.
saved-notes = Saved notes
no-note-matches = No note matches.
notes-limit = The latest 100 notes; narrow the filters to find older ones.
escalated = Escalated
escalated-marker = escalated
note-saved = The note is saved.
draft-updated = Draft updated.
draft-deleted = Draft deleted.
draft-conflict = This draft changed elsewhere first. The page shows the current draft; apply your change again.
note-saved-already = This note is saved; saved notes cannot change.
open-in-editor = Open in the editor
save-as-note = Save as note
delete-draft = Delete draft
back-to-library = Back to the notes library
separated-by-commas = Separated by commas
template = Template
insert-template = Insert template
template-overwrites = Inserting a template replaces the text of the note: insert it before you start writing.
no-template = This category has no template. Templates exist for Engagement Management and Technical Enablement.
template-replace-warning = The note already has text. Inserting the template replaces all of it.
template-replace = Replace the text with the template
template-keep = Keep my text
next-action-date = Next action date
next-action-owner = Next action owner
clear-all = Clear all
choose-a-button = Choose one of the editor's buttons.
editor-draft-conflict = This draft changed elsewhere first. Open it again from the library and apply your change.

## Note templates (Markdown; inserting one replaces the note's text)

note-template-engagement-management =
    ## Participants
    - Customer:
    - Our side (FastTrack, partner, account team):

    ## Discussion points
    -

    ## Customer questions
    -

    ## Actions
    - What, who, by when:

    ## Playbook task
    Task ID and name this conversation moved forward, if any:
note-template-technical-enablement =
    ## Workload affected
    Service or workload:

    ## Status
    On track, at risk or blocked, and why:

    ## Summary
    What was done or decided in this interaction:

    ## Next action
    What happens next, who owns it, by when:

    ## Concerns
    Risks or blockers (for a product issue, give its reference):

## Playbook reader

playbook-language = Playbook language
# A page or process missing in a language: "Not available in Español: shown in English".
not-available-in = Not available in { $wanted }: shown in { $shown }
translations-report = Translations report
other-pages = Other pages
tasks-heading = Tasks
breadcrumb = Breadcrumb
motions = Motions
rules = Rules
overview = Overview
objectives = Objectives
key-inputs = Key inputs
key-outputs = Key outputs
steps = Steps
primary-roles = Primary roles
next-steps = Next steps
rule-tasks = tasks { $tasks }
none = None.
where = Where

## Playbook translations report

playbook-translations = Playbook translations
source-language = Source language
page-count =
    { $count ->
        [one] { $count } page
       *[other] { $count } pages
    }
task-count =
    { $count ->
        [one] { $count } task
       *[other] { $count } tasks
    }
read = Read
no-other-language = The playbook has no other language.
missing-tasks = Missing tasks
extra-tasks = Extra tasks
flag-differences = Flag differences
role-differences = Role differences
stale-pages = Stale pages
page = Page
last-changed = Last changed
source-page = Source page
source-changed = Source changed
missing-pages = Missing pages
extra-pages = Extra pages

## API reference page

api-docs-title = API
openapi-document = openapi.json
api-parameter = parameter
api-in = in
api-type = type
api-required = required
api-json-body = JSON body
api-field = field
api-description = description
api-responses = responses
api-errors = Errors
api-errors-text = Every error is { $shape }: 401 without credentials, 403 when the role may not (or the CSRF token is missing on a session change), 404 for what does not exist or may not be seen, 409 when the version sent is stale, 422 with field errors for invalid input.

## Task statuses (the program's own English terms)

task-status-not-started = Not Started
task-status-not-required = Not Required
task-status-in-progress = In Progress
task-status-complete = Complete
task-status-paused-customer-delay = Paused-Customer Delay
task-status-deferred-customer-extended-delay = Deferred-Customer Extended Delay
task-status-warning = Warning
task-status-blocked-pending-remediation = Blocked-Pending Remediation
task-status-blocked-technical-customer = Blocked-Technical-Customer
task-status-blocked-business = Blocked-Business
task-status-blocked-other = Blocked-Other
task-status-blocked-technical-ms = Blocked-Technical-MS
task-status-cancelled = Cancelled

## Overall status of a tenant

overall-status-active = Active
overall-status-blocked = Blocked
overall-status-paused = Paused

## Priority

priority-high = High
priority-medium = Medium
priority-low = Low
priority-high-override = High (overridden)
priority-medium-override = Medium (overridden)
priority-low-override = Low (overridden)

## Motions (how a tenant came into the program)

motion-customer-health = Customer Health
motion-rfa = RFA
motion-targeting = Targeting

## Note categories

note-category-engagement-management = Engagement Management
note-category-technical-enablement = Technical Enablement
note-category-service-intent = Service Intent
note-category-environment = Environment
note-category-enterprise-status = Enterprise Status
note-category-migration = Migration

## Assignment roles

assignment-role-rm = Regional Manager
assignment-role-fm = FastTrack Manager
assignment-role-fe = FastTrack Engineer
assignment-role-psm = FastTrack Partner Manager
assignment-role-sme = Subject Matter Expert
assignment-role-aam = App Assure Manager
assignment-role-g-rm = RFA Manager
assignment-role-g-tm = Targeting Manager
assignment-role-fa = FastTrack Architect
assignment-role-fav2 = FastTrack Architect 2
assignment-role-gmfta = Get Modern FastTrack Architect
assignment-role-mvm = Migration Velocity Manager
assignment-role-csm = Customer Success Manager
assignment-role-p-rm = Partner Regional Manager
assignment-role-p-fm = Partner FastTrack Manager
assignment-role-p-fe = Partner FastTrack Engineer

## User roles

user-role-admin = Admin
user-role-manager = FastTrack Manager
user-role-engineer = FastTrack Engineer
user-role-partner = Partner
user-role-guest = Guest

## Contact kinds

contact-kind-customer = Customer
contact-kind-partner = Partner
contact-kind-microsoft = Microsoft

## Consumption status (L1)

l1-status-unknown = Status Unknown
l1-in-progress = In Progress
l1-blocked = Blocked
l1-no-intent = No Intent
l1-duplicate-invalid = Duplicate/Invalid

## Reasons (L2) and engineering reasons (L3) of a consumption status (l2-KEY, l3-KEY: the taxonomy's keys)

l2-customer-unresponsive = Customer Unresponsive
l2-new-subscription-or-workload = New Subscription or Workload
l2-technical-onboarding-and-deployment = Technical Onboarding and Deployment
l2-migration = Migration
l2-solution-or-user-adoption = Solution or User Adoption
l2-customer-it-infrastructure-remediation = Customer IT Infrastructure, Remediation
l2-it-change-management-and-resourcing = IT Change Management and Resourcing
l2-legal-regulatory = Legal/Regulatory
l2-security-privacy-non-product-feature = Security/Privacy (Non-Product/Feature)
l2-adoption-readiness = Adoption Readiness
l2-product-feature-capability = Product / Feature Capability
l2-service-reliability = Service Reliability
l2-app-compatibility = App Compatibility
l2-partner-engagement = Partner Engagement
l2-billing-licensing-subscription = Billing, Licensing, Subscription
l2-using-competitive-solution = Using Competitive Solution
l2-using-microsoft-on-premises-solution = Using Microsoft On-Premises Solution
l2-executive-sponsorship = Executive Sponsorship
l3-desktop-devices = Desktop / Devices
l3-hardware = Hardware
l3-network = Network
l3-identity = Identity
l3-other = Other
l3-covid = COVID
l3-budget-agreed-but-not-available = Budget Agreed But Not Available
l3-it-staff-training-required = IT Staff Training Required
l3-updates-processes-or-infrastructure = Updates Processes or Infrastructure
l3-legal = Legal
l3-security = Security
l3-trust = Trust
l3-partner-unresponsive = Partner Unresponsive
l3-addition-of-seats = Addition of Seats
l3-incorrect-sku = Incorrect SKU
l3-wrong-tenant = Wrong Tenant
l3-commitment-to-on-premises-investment-or-third-party-hosting = Commitment to On-Premises Investment or Third Party Hosting
l3-customer-decision-to-maintain-control-over-service = Customer Decision to Maintain Control Over Service
l3-purchased-o365-licenses-but-using-on-premises-rights = Purchased O365 Licenses But Using On-Premises Rights
l3-purchased-as-part-of-a-larger-suite = Purchased as part of a larger suite
l3-no-bdm-sponsor-identified = No BDM/Sponsor Identified
l3-no-clear-business-drivers = No Clear Business Drivers

## What each reason (L2) means, in a sentence: shown beside the choices and learnt from by Suggest (l2-about-KEY)

l2-about-customer-unresponsive = Nobody at the customer answers: calls, e-mails and meeting invitations go unreturned and no contact replies, so nobody can say what they plan for the service.
l2-about-new-subscription-or-workload = Licences just bought or a workload just added, whose plans nobody has asked about yet; new seats waiting for a first conversation to classify them.
l2-about-technical-onboarding-and-deployment = The customer is setting the service up: configuring the tenant, domains and directory synchronisation, a pilot group, deploying clients and turning features on, with a rollout date planned.
l2-about-migration = Mailboxes, files, sites or other content are being moved from an older system or another cloud into the service; migration batches are scheduled or running.
l2-about-solution-or-user-adoption = The service is deployed and the work now is getting people to use it: training, champions, awareness campaigns, change management, more active users each month.
l2-about-customer-it-infrastructure-remediation = The customer's own infrastructure has to be fixed first: old desktops or devices, hardware, network bandwidth, firewalls or proxies, identity and directory problems.
l2-about-it-change-management-and-resourcing = The customer lacks people, budget or time: IT staff busy with other projects, budget agreed but not released, staff who need training, a change freeze or internal processes to update.
l2-about-legal-regulatory = Laws, regulators or contract terms forbid using the cloud service for now: data must stay in the country, industry regulation, an authority's approval still pending, compliance obligations.
l2-about-security-privacy-non-product-feature = The customer's security or privacy policy, or distrust of the cloud, holds the rollout although the product meets the need: an internal security review, the data protection officer's sign-off, trust concerns.
l2-about-adoption-readiness = The organisation is not ready for its people to use the service: no communication or training plan, users resist the change, business units unprepared, adoption planning not started.
l2-about-product-feature-capability = A feature the customer needs is missing or limited in the product, or not offered in their region or datacenter, so they wait for it on the roadmap.
l2-about-service-reliability = Outages, incidents, slow performance or an unstable service make the customer pause the rollout until it runs reliably.
l2-about-app-compatibility = Business applications, add-ins, macros or third-party tools do not work with the service or the new client version and must be tested, fixed or replaced first.
l2-about-partner-engagement = The partner doing the work does not respond, is not contracted yet or has no capacity, so the deployment stalls while it waits for the partner.
l2-about-billing-licensing-subscription = Licences or the subscription are wrong: the wrong SKU was bought, seats must be added, licences sit on the wrong tenant, billing or invoice problems, licences not assigned.
l2-about-using-competitive-solution = The customer uses or has chosen a competitor's product from another vendor for mail, collaboration or storage and does not plan to use this service.
l2-about-using-microsoft-on-premises-solution = The customer keeps running the server version in its own datacenter or with a hosting company and does not plan to move to the cloud service.
l2-about-executive-sponsorship = No business decision-maker backs the service: no executive sponsor, no clear business drivers, leadership gives it no priority, so there is no plan to use it.
## Forecast statuses

forecast-status-met-early = Met on time
forecast-status-met-late = Met late
forecast-status-overdue = Overdue
forecast-status-on-track = Not yet due
forecast-status-reached-before-forecast = Reached early

## Active Usage buckets

au-bucket-below-10 = Below 10%
au-bucket-10-40 = 10% to 40%
au-bucket-40-plus = 40% and above
au-bucket-none = No AU yet

## Note windows (library filter)

note-window-all = Any time
note-window-30 = Last 30 days
note-window-60 = 30–60 days ago
note-window-90 = 60–90 days ago

## Error pages

error-sign-in = Sign-in needed
error-sign-in-text = Sign in to open this page.
error-forbidden = Not allowed
error-forbidden-text = Your role does not allow this.
error-csrf-text = The form was refused: it did not carry this session's security token. Go back, reload the page and send it again.
error-not-found-text = There is nothing here, or you may not see it.
error-conflict = Changed elsewhere
error-conflict-text = Someone else changed this first. Reload the page and make your change again.
error-invalid = Check the values
error-invalid-text = Some values cannot be used:
error-refused = Not possible
error-refused-text = This change cannot be made:
error-bad-request = Unreadable request
error-bad-request-text = The request could not be read. Go back and try again from the page.
error-unavailable = Try again shortly
error-unavailable-text = The database cannot answer right now. Wait a moment and try again (reference { $reference }).
error-internal = Something went wrong
error-internal-text = Something failed on our side. If you report it, quote reference { $reference }.

## Field errors (FieldError ids; crates/ftop-domain/src/error.rs). A quoted value is cut to 40 characters.

invalid-untranslated = { $text }
invalid-suggest-empty = is empty, and Suggest needs a note to read
invalid-submitted-required = the submitted date (RFA) is required before forecast dates can be saved
invalid-date-not-future = { $date } is not in the future
invalid-target-10-required = the target date for 10% AU is required
invalid-target-max-required = the target date for maximum AU is required
invalid-after-submitted = must be after the submitted date (RFA) { $date }
invalid-after-target-10 = must be after the target date for 10% AU ({ $date })
invalid-tenant-id = `{ $value }` is not a tenant ID: expected a GUID of hexadecimal groups 8-4-4-4-12, such as 0f8fad5b-d9cb-469f-a165-70867728950e
invalid-tenant-name = `{ $value }` is not a tenant name: expected a domain name such as contoso.onmicrosoft.com
invalid-reason-required = a { $status } row must say why: choose a reason from { $choices }
invalid-reason-not-taken = { $status } rows take no reason; clear `{ $value }` or move the entitlements to another status
invalid-reason-use-key = write the reason as its key `{ $key }` rather than `{ $value }`
invalid-reason-other-status = `{ $key }` is a reason for { $other } rows, not { $status }; choose one of { $choices }
invalid-reason-unknown = `{ $value }` is not a known reason for { $status } rows; choose one of { $choices }
invalid-engineering-without-reason = set a reason (L2) before an engineering reason; `{ $value }` has none to belong to
invalid-engineering-none = the reason `{ $reason }` has no engineering reasons; clear `{ $value }`
invalid-engineering-use-key = write the engineering reason as its key `{ $key }` rather than `{ $value }`
invalid-engineering-unknown = `{ $value }` is not an engineering reason of `{ $reason }`; choose one of { $choices }
invalid-rows-none = the service has { $total } entitlements but no status rows; add at least one row so every entitlement has a status
invalid-rows-too-few = the rows hold { $sum } entitlements but the service has { $total }: give a status to the { $missing } missing
invalid-rows-too-many = the rows hold { $sum } entitlements but the service has only { $total }: take { $extra } off the rows
invalid-row-empty = a row must hold at least one entitlement; delete the row instead
invalid-target-date-not-taken = only In Progress and Blocked rows have a target date; clear it on this { $status } row
invalid-target-date-past = the target date { $date } has already passed; pick { $today } or later
invalid-target-date-required = an In Progress row needs a target date for when the entitlements will be in use
invalid-owner-not-taken = { $status } rows have no owner; clear `{ $value }`
invalid-owner-blank = the owner is blank; name who is responsible or leave it unset
invalid-row-note-too-long = the note has { $chars } characters, { $over } over the limit of { $max }; shorten it or move the detail to the Notes Library
invalid-rows-duplicate = rows[{ $first }] and rows[{ $second }] have the same status ({ $status }); merge them into one row of { $merged } entitlements
invalid-service-unknown = `{ $value }` is not a service of the catalogue
invalid-service-unknown-example = `{ $value }` is not a service of the catalogue (for example Exchange, SharePoint, Teams, Intune)
invalid-qualified-range = must be between 0 and the entitlements ({ $total })
invalid-not-negative = must be zero or more
invalid-user-unknown = no user named { $value }
invalid-service-not-entitled = tenant { $tenant } has no { $service } entitlements
invalid-contact-name = give the contact's name
invalid-email = `{ $value }` is not an e-mail address
invalid-survey-customer-only = only customer contacts can be surveyed
invalid-survey-engaged = a surveyed contact must be engaged in the onboarding
invalid-survey-email = a surveyed contact needs an e-mail address
invalid-survey-country = a surveyed contact needs a country
invalid-country-code = `{ $value }` is not a country code: write the two letters of ISO 3166 (DE, BR, US)
invalid-language-code = `{ $value }` is not a language code: write the two letters of ISO 639 (de, pt), optionally with a country (pt-BR)
invalid-survey-language = choose the survey language
invalid-survey-services = name at least one service deployed or migrated
invalid-percent-range = percent complete is between 0 and 100
invalid-task-nothing = say what to change: status, percent or role
invalid-task-not-applicable = task { $task } does not apply to tenant { $tenant }
invalid-task-not-applicable-service = task { $task } for { $service } does not apply to tenant { $tenant }
invalid-partner-name = give the partner organisation's name
invalid-user-name = use 1 to 100 letters, digits, dots, dashes, underscores or @
invalid-password-short = use at least { $min } characters
invalid-password-has-name = do not put your user name in the password
invalid-password-common = this password is on a list of common passwords; choose another
invalid-password-guessable = this password is easy to guess (a sequence, a repeat or a keyboard row); choose another
invalid-partner-required = a partner user belongs to a partner organisation
invalid-partner-only = only partner users belong to a partner organisation
invalid-user-exists = user { $value } already exists
invalid-note-body-empty = write the note before saving it
invalid-too-long = at most { $max } characters
invalid-choose-one = `{ $value }`: choose { $choices }
invalid-not-yes-no = `{ $value }` is not true or false
invalid-token-days = give 1 to { $max } days
invalid-nul = contains a NUL character (U+0000), which is not allowed
invalid-team-one-line = put each team on its own line (a name without line breaks)
invalid-too-long-starts = at most { $max } characters (this one starts `{ $value }`)
invalid-too-many-bytes = at most { $max } bytes
invalid-too-many-rows = at most { $max } rows
invalid-too-many-items = at most { $max } entries
invalid-service-not-of-tenant = `{ $value }` is not a service of this tenant
invalid-task-unknown = { $value } is not a task ID of the playbook
invalid-drafts-full = you already keep { $max } drafts; save or delete one first
invalid-customer-name = give the customer's name (at most 200 characters)
invalid-service-twice = this service is listed twice
invalid-value = invalid value
invalid-tenant-exists = tenant { $value } already exists
invalid-tenant-name-taken = { $value } is already the name of tenant { $tenant }
invalid-tenant-name-taken-other = { $value } is already the name of another tenant
invalid-tenant-name-in-file = { $value } is also the name of tenant { $tenant } in this file
invalid-customer-required = give the customer's name
invalid-exception-reason-required = say why the tenant is eligible by exception (for example the program it came through)
invalid-seats-number = `{ $value }` is not a whole number of seats (0 or more)
invalid-seats-whole = `{ $value }` is not a whole number of seats
invalid-count-whole = `{ $value }` is not a whole number of entitlements
invalid-reload = reload the page and try again
invalid-draft-action = use one of the buttons of the draft
invalid-import-conflict = tenant { $tenant } has another name or customer on line { $line }
invalid-import-service-twice = { $service } is listed twice for tenant { $tenant }
invalid-minutes-none = enter at least one minute
invalid-minutes-day = at most 24 hours in one entry
invalid-time-future = time cannot be entered for a day still to come
invalid-task-not-for-tenant = task { $task } does not apply to this tenant
invalid-date = `{ $value }` is not a date: write YYYY-MM-DD
invalid-more-rows-refused = { $count } more rows refused
invalid-limit = a number from 1 to { $max }
invalid-unreadable = cannot be read: { $why }
invalid-confirm-removal = tick the box to confirm the removal
invalid-language = `{ $value }` is not a language of ftop: { $choices }
invalid-note-category = `{ $value }` is not a note category
invalid-draft-version = send the version of the draft you read
invalid-window = `{ $value }` is not a window: all, 30, 60 or 90
invalid-task-id = `{ $value }` is not a valid task ID
invalid-draft-not-found = not found
invalid-bucket = choose below-10, 10-40, 40-plus or undefined
invalid-reached = choose 10 or 40
invalid-forecast-filter = write MILESTONE:STATUS, e.g. 10:overdue (statuses: met-early, met-late, overdue, on-track, reached-before-forecast)
invalid-date-short = `{ $value }` is not a date (YYYY-MM-DD)
invalid-task-status = `{ $value }` is not a task status
invalid-body = the body cannot be read: { $why }
invalid-note-tenant = name the tenant of the note
invalid-choose-tenant = choose a tenant
invalid-tenant-not-visible = no tenant `{ $value }` you may see
invalid-partner-id = `{ $value }` is not a partner organisation's ID
invalid-user-id = `{ $value }` is not a user's ID
invalid-rows-limit = `{ $value }`: from 1 to 1000 rows
invalid-rows-offset = `{ $value }`: a number of rows to skip
invalid-choose-status = choose a status
invalid-percent-whole = percent complete is a whole number from 0 to 100
invalid-choice = `{ $value }` is not one of the allowed values
invalid-contact-kind = `{ $value }` is not a contact type
invalid-csv = unreadable CSV: { $why }

## Field names as forms show them (field-NAME for a field `name`, `_` written `-`)

field-line = Line { $line }
field-tenant-id = Tenant ID
field-start-date = Engagement start date
field-teams = Delivery teams
field-scenario = Engagement scenario
field-tenant-name = Tenant name
field-tenant = Tenant
field-customer = Customer
field-service = Service
field-services = Services
field-entitlements = Entitlements
field-qualified-entitlements = Qualified seats
field-submitted = Submitted (RFA)
field-target-10 = Target for 10% AU
field-target-40 = Target for 40% AU
field-target-max = Target for maximum AU
field-rows = Status rows
field-row = Row
field-count = Entitlements in the row
field-l2 = Reason (L2)
field-l3 = Engineering reason (L3)
field-target-date = Target date
field-owner = Owner
field-note = Note
field-body = Text
field-next-action = Next action
field-next-action-date = Next action date
field-user = User
field-name = Name
field-email = E-mail
field-survey-eligible = Surveyed
field-engaged = Engaged
field-country = Country
field-survey-language = Survey language
field-percent = Percent complete
field-status = Status
field-overall-status = Overall status
field-priority = Priority
field-motion = Motion
field-kind = Kind
field-task-id = Task
field-partner = Partner
field-manager = Manager
field-password = Password
field-state = Draft state
field-status-note = Status note
field-minutes = Minutes
field-work-date = Work date
field-file = File
field-limit = Limit
field-offset = Offset
field-lang = Language
field-category = Category
field-version = Version
field-window = Period
field-draft = Draft
field-bucket = AU bucket
field-reached = Milestone reached
field-forecast = Forecast
field-from = From
field-to = To
field-role = Role
field-escalated = Escalated
field-qualified = Qualified seats
field-status-date = Status date
field-active = Active
field-program-exception = Program exception
field-exception-reason = Reason for the exception
field-phase = Phase
field-period = Period
field-enterprise-exception = Enterprise exception
field-adoption-benefit = Additional adoption benefit
field-primary = Primary
field-desires-assistance = Desires partner assistance
field-effective = Effective from
field-user-id = User ID
field-action = Action
field-l1 = Consumption status (L1)

## observability

error-request-id = Request ID: { $id }

## account and sessions

signin-busy = Too many people are signing in right now. Wait a second and try again.
signin-wait = Too many failed sign-ins for this name or from this address. Wait a little and try again; each further failure makes the wait longer, up to 15 minutes.
sso-button = Sign in with { $provider }
sso-or-password = Or sign in with a local account:
sso-break-glass = Local sign-in (break-glass administrator only)
sso-failed = Single sign-on did not complete. Try again; if it keeps failing, tell your administrator.
sso-unavailable = The identity provider cannot be reached right now. Try again in a minute.
sso-only = Use the single sign-on button above: the password form is only for the break-glass administrator, and what was entered did not sign in.
sso-no-account = Your identity is known to the provider but has no ftop account. Ask an administrator to add you.
sso-inactive = Your ftop account is deactivated. Ask an administrator to reactivate it.
sso-other-identity = This ftop account is linked to a different identity at the provider. Ask an administrator.
sso-no-role = The provider's groups for you do not give an ftop role (or a partner organisation ftop knows). Ask an administrator.
account-sessions = Your sessions
account-sessions-intro = Every browser where you are signed in. End any you do not recognise; a session also ends after 2 hours without use or 12 hours after signing in.
account-session-created = Signed in
account-session-seen = Last used
account-session-address = Address
account-session-current = (this browser)
account-session-end = End session
account-session-end-confirm = End this session? The browser that uses it will have to sign in again.
account-session-keep = Keep it
invalid-whole-number = `{ $value }` is not a whole number from { $min } to { $max }
invalid-empty-parameter = give a value without spaces around it, or leave the parameter out

## People: users and partner organisations (administrators and partner admins)
people-users = Users
people-partners = Partner organisations
people-count = { $count ->
    [one] One user
   *[other] { $count } users
}
people-add-user = Add a user
people-add-partner = Add an organisation
people-no-partner = (none)
people-deactivated = Deactivated
people-created = Created
people-new-password = New password
people-password-keep = Leave empty to keep the current password.
people-password-rule = A password has at least 12 characters, is not a common or easily guessed one and does not contain the user name.
people-deactivate-confirm = Deactivate { $name }? They are signed out everywhere at once and their API tokens stop working. You can reactivate the account later; the tokens do not come back.
people-deactivate-yes = Yes, deactivate this user
people-rename = Name of { $name }
people-rename-button = Rename
people-done-created = The user was added.
people-done-saved = Saved.
partners-none-to-add = Every partner organisation is on this tenant. Administrators add organisations under Partner organisations.
people-done-partner = The organisation was saved.
field-partner-admin = Partner admin
field-current = Current password
field-label = Label
field-days = Days
invalid-user-role = `{ $value }` is not a role
invalid-partner-admin-only = only partner users can administer a partner organisation
invalid-partner-unknown = there is no partner organisation named { $value }; add it first
invalid-partner-exists = an organisation named { $value } already exists
invalid-user-self-role = you cannot change your own role or organisation; ask another administrator
invalid-user-self-active = you cannot deactivate your own account
invalid-password-current = this is not your current password
field-confirm = Confirmation
field-exclude = Left out
field-assignments = Assignments
invalid-assignment-role = `{ $value }` is not an assignment role
invalid-assignment-user-role = { $value } cannot take the role { $role }: FastTrack roles are for FastTrack staff, partner roles for the users of a partner organisation on this tenant
invalid-assignment-twice = { $value } is listed twice in the same role and level
invalid-assignment-primary-twice = mark one primary for { $role } { $service ->
    [none] on the whole tenant
   *[other] on { $service }
}, not two
assignments = Assignments
assignment-level = Level
assignment-whole-tenant = Whole tenant
assignment-make-primary = Make primary
assignment-confirm-remove = Yes, remove
assignment-remove = Remove
assignment-none = Nobody is assigned to this tenant yet.
assignment-add = Assign someone
invalid-assignment-action = choose what to change
reassign = Reassign
reassign-intro = Move every assignment of one person to another, for example when someone leaves the team. Untick the rows that should stay; nothing moves before you confirm.
reassign-from = From
reassign-to = To
reassign-preview = Preview
reassign-counts = { $selected } selected, { $deselected } deselected
reassign-move = Move
reassign-move-row = Move the assignment on { $tenant }
reassign-nothing = This person has no assignments.
reassign-recount = Recount
reassign-no-undo = There is no undo: the selected assignments move at once, all together. The history of each tenant records the change.
reassign-confirm = I understand; move them
reassign-apply = { $count ->
    [one] Move one assignment
   *[other] Move { $count } assignments
}
reassign-done = { $count ->
    [one] One assignment was moved.
   *[other] { $count } assignments were moved.
}
invalid-reassign-confirm = tick the confirmation first: there is no undo
invalid-reassign-same = choose someone else to take over
invalid-reassign-role = { $value } cannot take the role { $role } on { $tenant }
tenant-new = New tenant
tenant-new-services = Services and seats
tenant-new-hint = Fill in the entitlements of each service the tenant holds and leave the others empty; qualified seats default to the entitlements.
tenant-new-name-example = contoso.onmicrosoft.com
tenant-new-create = Create tenant
invalid-import-column-twice = the header names the `{ $column }` column twice (columns { $first } and { $second }); keep one
invalid-import-column-missing = the header has no `{ $column }` column (expected { $expected })
invalid-import-too-many-rows = more than { $max } rows; split the file
tenant-import = Import tenants
tenant-import-intro = Upload a CSV file with one row per tenant and service and this header (other columns are ignored; qualified entitlements default to the entitlements). The file is imported whole or not at all, and the same file again changes nothing.
tenant-import-button = Import
tenant-import-busy = Uploading and importing
tenant-import-refused = Nothing was imported. Correct these lines and upload the file again:
tenant-import-done = { $rows } rows: { $created } tenants created, { $updated } updated, { $services } services added or changed, { $unchanged } unchanged.
invalid-file-missing = choose a file to upload
invalid-user-self-password = change your own password under your account, with the current one
invalid-user-inactive = { $value } is deactivated
invalid-import-not-yours = tenant { $tenant } exists and you are not assigned to it: ask one of its managers or an administrator to change it
invalid-token-label = say what the token is for

## Your account: password and API tokens
account = Your account
account-password = Password
account-password-current = Current password
account-password-change = Change password
account-password-sessions = Changing it signs you out of every other browser.
account-password-changed = Your password was changed. Other browsers were signed out.
account-tokens = API tokens
account-tokens-intro = Tokens let scripts use the API as you (Authorization: Bearer TOKEN). Revoke any you no longer use.
account-token-label = Label
account-token-expires = Expires
account-token-expired = expired
account-token-never = never
account-token-new = New token
account-token-days = Valid for (days)
account-token-create = Create token
account-token-shown-once = Your new token is below. Copy it now: it is shown only this once.
account-token-revoke = Revoke
account-token-revoke-confirm = Revoke the token “{ $label }”? Scripts that use it stop working at once.
account-token-revoked = The token was revoked.
account-token-keep = Keep it

## Editing a tenant and its eligibility exception

tenant-edit = Edit tenant
tenant-edit-hint = Change a service's entitlements or add a service by filling in its row. Services are not removed here: their history stays.
cancel = Cancel
exception = Eligibility exception
exception-grant = Eligible by exception (below the program's minimum seats)
exception-reason = Reason for the exception
field-reason = Reason
people-sso = Single sign-on
people-sso-linked = bound to an identity at the provider
people-sso-unlinked = not bound (the next sign-in through the provider binds it, by e-mail)
people-sso-unlink = Unbind from the provider's identity (when their account there was replaced)
invalid-sso-link = an account is bound to the provider's identity by signing in through it, not here
field-sso-linked = Single sign-on

## Tenant grid: displays, priority, column filters, tripwires
grid-display = Display
grid-display-scorecard = Scorecard Adoption
grid-display-overview = Overview
grid-display-assignments = Assignments
grid-group-customer = Group by customer
grid-days = Days in program
grid-status-date = Last status date
grid-au-of = { $service } AU
grid-next-action-date = Next action date
grid-next-action-owner = Next action owner
grid-fastrack-managers = FastTrack Managers
grid-fastrack-engineers = FastTrack Engineers
grid-partner-people = Partner managers
grid-column-filters = Column filters
grid-filter-number-n = Filter { $n }:
grid-filter-column-label = Column
grid-filter-op-label = Condition
grid-filter-value-label = Value
grid-filter-hint = Text columns: contains, does not contain, starts with, equals. Numbers and dates: the comparisons. AU in percent (12.5); dates as YYYY-MM-DD.
grid-op-contains = contains
grid-op-not-contains = does not contain
grid-op-starts = starts with
grid-op-equals = equals
grid-op-eq = is equal to (=)
grid-op-ne = is not equal to (≠)
grid-op-lt = is less than / before (<)
grid-op-le = is at most / on or before (≤)
grid-op-gt = is greater than / after (>)
grid-op-ge = is at least / on or after (≥)
grid-filter-empty = Type a value to compare with.
grid-filter-long = The value is too long.
grid-filter-op = This condition does not fit the column: text takes contains, does not contain, starts with or equals; numbers and dates take the comparisons.
grid-filter-number = Type a number (AU in percent, e.g. 12.5; days and seats as whole numbers).
grid-filter-date = Type a date as YYYY-MM-DD.
grid-filter-column = Choose a column from the list.
grid-filter-refused = A column filter could not be used; the list ignores it until it is corrected (see the message beside it).
tripwire-au-gain = AU up
tripwire-au-gain-title = Active Usage of a service rose significantly in the past 30 days.
tripwire-au-drop = AU down
tripwire-au-drop-title = Active Usage of a service fell significantly in the past 30 days.
tripwire-more-seats = more seats
tripwire-more-seats-title = The tenant gained qualified seats in the past 30 days.
priority-all = All
priority-filter-high = High and High (overridden)
priority-filter-medium = Medium and Medium (overridden)
priority-filter-low = Low
priority-filter-low-override = Low (overridden)
priority-set-of = Set the priority of { $tenant }
priority-default = Back to the default
priority-set = Set
priority-saved = Priority saved.
customer-seats = Seats, all tenants
customer-adoption = Active Usage across its tenants
customer-no-usage = No usage figures yet for these tenants.
customer-bucket = Milestone band
customer-more-tenants = Showing { $shown } of { $total } tenants.
## Data migration
invalid-migration-end-before-start = the desired end ({ $end }) comes before the desired start ({ $start })
invalid-migration-type-service = { $value } does not move data into { $service }
invalid-migration-size = at most { $max } GB
invalid-migration-only-declined = give a reason only when Microsoft does not perform the migration
invalid-migration-only-performing = only when Microsoft performs the migration; clear it or tick that Microsoft performs it
invalid-migration-reason-needed = choose why Microsoft does not perform the migration
invalid-migration-types-none = add at least one migration type row ({ $due } In Progress and Blocked entitlements to place)
invalid-migration-nothing-due = none of the service's entitlements is In Progress or Blocked yet: record its status rows first, then the migration
invalid-migration-types-sum = the rows hold { $sum } entitlements; they must add up to exactly { $due }, the service's In Progress and Blocked entitlements
invalid-migration-not-eligible = { $service } has no data migration decision: only Exchange, SharePoint and OneDrive of a tenant with more than { $seats } seats have one
invalid-migration-performing-choose = say whether Microsoft performs the migration
invalid-migration-size-whole = `{ $value }` is not a whole number of gigabytes
migration = Data migration
migration-performing = Is Microsoft performing the migration?
migration-desired-start = Desired start
migration-desired-end = Desired end
migration-dates-hint = The dates the customer would like. They are indications only: nobody commits to them.
migration-rows-hint = When Microsoft performs it, list how the data moves. The rows must add up to exactly { $due } entitlements, the service's In Progress and Blocked ones.
migration-types = Migration types
migration-type = Type
migration-estimated = Estimated migration date
migration-size = Data size (GB)
migration-row-status = Status (set by the migration SME)
migration-add-row = Add a row
migration-declined = When Microsoft does not perform it
migration-rejection-reason = Reason
migration-notes = Notes
save-migration = Save data migration
migration-undecided = Nobody has recorded a decision yet.
migration-rows-out-of-step = The rows hold { $sum } entitlements, but the service now has { $due } In Progress and Blocked ones: bring the rows up to date.
migration-prerequisites = Tasks to complete before migrating
migration-prerequisite-missing = not in this tenant's playbook
migration-type-mig-exhybrid = Exchange hybrid (Mig-ExHybrid)
migration-type-mig-exstaged = Exchange staged (Mig-ExStaged)
migration-type-mig-excutover = Exchange cutover (Mig-ExCutover)
migration-type-mig-imap = IMAP mailboxes (Mig-IMAP)
migration-type-mig-gmailstaged = Gmail staged (Mig-GmailStaged)
migration-type-mig-fileshare = File shares (Mig-FileShare)
migration-type-mig-sharepoint = SharePoint Server (Mig-SharePoint)
migration-type-mig-box = Box (Mig-Box)
migration-type-mig-googledrive = Google Drive (Mig-GoogleDrive)
migration-type-mig-dropbox = Dropbox (Mig-Dropbox)
migration-status-not-started = Not started
migration-status-in-progress = In progress
migration-status-blocked = Blocked
migration-status-complete = Complete
migration-rejection-customer-self-migrates = The customer will migrate on their own
migration-rejection-partner-migrates = A partner is migrating the data
migration-rejection-no-data = There is no data to migrate
migration-rejection-customer-declined = The customer declined the benefit
migration-rejection-other = Another reason (see the notes)
history-kind-migration = Data migration
history-thing-migration = Data migration of { $service }
date-day = { $year }-{ $month }-{ $day }
field-performing = Microsoft performs the migration
field-desired-start = Desired migration start
field-desired-end = Desired migration end
field-rejection-reason = Reason Microsoft does not migrate
field-notes = Notes
field-types = Migration types
field-migration-type = Type
field-estimated-date = Estimated migration date
field-data-size-gb = Data size (GB)
## Enterprise status

enterprise-status = Enterprise status
enterprise-none = No enterprise status has been recorded for this tenant yet.
enterprise-updated = Recorded { $when } by { $who }
enterprise-overdue = Update overdue: the next update was due on { $date }.
enterprise-earlier = Earlier entries ({ $count })
enterprise-add = Add an enterprise status
enterprise-required-note = Fields marked with * are required.
enterprise-save = Save enterprise status
enterprise-writers-only = Enterprise status entries are added by FastTrack managers, administrators and the FastTrack architects or managers assigned to this tenant.
enterprise-reasons = Reasons
enterprise-rag = Status (red, amber, green)
enterprise-summary = Executive summary
enterprise-summary-help = What keeps this engagement from green: the topic, a short description, its impact and the actions taken.
enterprise-overview = Deployment status: current overview
enterprise-activities = Current FastTrack activities
enterprise-risks = Risks
enterprise-brand = Public or brand name
enterprise-awareness = Awareness
enterprise-next-update = Next update
enterprise-reason-it-maturity = IT maturity
enterprise-reason-over-50k-seats = More than 50,000 seats
enterprise-reason-executive-relationship = Executive relationship
enterprise-reason-reactive = Reactive
enterprise-reason-major-brand = Major brand
enterprise-reason-new-feature-experiment = New feature or experiment
rag-red = Red
rag-amber = Amber
rag-green = Green
rag-about-red = not onboarding at the moment
rag-about-amber = onboarding, but blocked or much slower than planned
rag-about-green = onboarding at the expected pace
history-kind-enterprise-status = Enterprise status
history-thing-enterprise-status = Enterprise status entry { $id }
invalid-enterprise-required = required: fill it in
invalid-enterprise-reasons-required = choose at least one reason
invalid-enterprise-next-update-past = { $date } has already passed; pick { $today } or later
field-reasons = Reasons
field-rag = Status (red, amber, green)
field-summary = Executive summary
field-overview = Deployment status: current overview
field-activities = Current FastTrack activities
field-risks = Risks
field-brand = Public or brand name
field-awareness = Awareness
field-next-update = Next update

## Predicted gain
grid-gain = Predicted 6-month AU gain
grid-gain-title = How many percentage points of Active Usage the tenant's fastest-growing service is expected to add in six months, from the trend of its last six months of figures (negative: a decline).
grid-prioritised = Prioritised portfolio
grid-prioritised-title = The tenants expected to gain the most Active Usage in the next six months first.
## Reports
reports = Reports
reports-intro = Each report reads the adoption figures and the tenants' records under the same filters, downloads as CSV, and every number in it links to the tenants behind it.
report-filters = Report filters
report-any = (all)
report-partner = Partner organisation
report-manager = FastTrack Manager
report-team = Delivery team
report-overall-status = Overall status
report-scenario = Engagement scenario
report-service-status = Service status
report-none = Nothing to show under these filters.
report-rows = Tenants behind the numbers
report-rows-cut = The first { $shown } of { $total } rows are shown; the CSV download holds them all.
report-total = Total
report-fix = What to do
report-milestones = Performance by usage milestone
report-milestones-about = Services with a usage figure by Active Usage bucket, and how many more active users each one needs to reach 10% and 40%.
report-by-bucket-chart = Services by Active Usage bucket
report-by-bucket-of = { $service }: services by Active Usage bucket
report-col-as-of = Date of the figure
report-col-active-users = Active users
report-col-qualified = Qualified seats
report-col-au = Active Usage
report-col-needed-10 = Users still needed for 10%
report-col-needed-40 = Users still needed for 40%
report-stale = Overall status notes not updated
report-stale-about = Active tenants whose overall status note is more than 14 days old, or was never written. Write the bi-weekly status note on the tenant's Status tab.
report-stale-mine = Assigned to me
report-stale-all = Every tenant I may see
report-stale-fix = Update the status
report-col-last-note = Last status note
report-col-days = Days since
report-never = never
report-compliance = Compliance
report-compliance-about = Partner-led work whose records would keep the partner from being credited or paid.
report-rm-not-partner = Regional Manager is not the partner
report-rm-not-partner-about = Tenants shared with a partner, with a service the partner leads or assists, whose primary tenant Regional Manager is not a partner user. The partner should add themselves as the primary tenant Regional Manager.
report-col-rm = Primary tenant Regional Manager
report-rm-fix = Open the assignments
report-scenario-not-partner-led = Engagement scenario is not partner-led
report-scenario-not-partner-led-about = Services of tenants shared with a partner whose scenario is neither FTC-FTP Led nor Customer-Led with FTP Assist: no payment follows their growth. Set the scenario on the Services tab when the partner delivers the service.
report-scenario-fix = Open the Services tab
report-forecast = { $milestone }% forecast
report-forecast-about = Forecast dates of the milestone by month. A date that has passed while Active Usage is still below the milestone is flagged in red; a date still ahead whose milestone is already reached is flagged in green; a date of today is due today.
report-forecast-chart = Forecast dates by month
report-col-month = Month
report-col-forecasts = Forecast dates
report-col-overdue = Passed, still below
report-col-due-today = Due today
report-col-reached-early = Ahead, already reached
report-col-target = Forecast date
report-col-reached = Reached on
report-col-status = Status
report-col-flag = Flag
report-flag-below = still below the milestone
report-flag-reached = already reached
report-not-reached = not yet
report-past = Dates that have passed
report-future = Dates ahead
report-month-shown = Only the dates of { $month } are listed.
report-all-months = Show every month
report-new-subscriptions = New subscriptions
report-new-subscriptions-about = Entitlements still marked "Status unknown" as a new subscription or workload. Give each one its proper consumption status on the tenant's Services tab.
report-by-service = By service
report-col-rows = Status rows
report-col-entitlements = Entitlements
report-classify = Classify
report-data-health = Data health
report-data-health-about = Service records that keep the other reports from being right, each with the fix to apply.
report-health-days = A service with qualified seats is listed when its latest usage figure is more than { $days } days old, or missing.
report-col-check = Check
report-health-no-recent-usage = No recent usage figure
report-health-qualified-above-entitled = More qualified seats than entitlements
report-health-in-progress-without-target = In Progress without a target date
report-health-fix-usage = Check the usage feed of this tenant and service
report-health-fix-seats = Correct the seats on the Services tab
report-health-fix-target = Set a target date on the Services tab
report-conversion = Conversion rate
report-conversion-about = Among the services with a defined Active Usage (a usage figure and qualified seats), how many are at or above 10% and 40% on their latest figure; exactly 10% counts.
report-col-capped-au = Active Usage, capped at 100%
report-col-with-au = With Active Usage
report-col-at-10 = At 10% or more
report-col-at-40 = At 40% or more
report-col-rate-10 = Share at 10% or more
report-col-rate-40 = Share at 40% or more

## Work queue and digests

queue-title = Needs me
queue-empty = Nothing is due on your tenants.
queue-due = Due
queue-kind = What
queue-about = Details
queue-upcoming = coming up
queue-shown = The { $shown } soonest of { $total } items are listed here.
queue-forecast-detail = { $service }: { $percent }% forecast date
queue-kind-next-action = Next action
queue-kind-forecast-missed = Forecast date missed
queue-kind-stale-status = Overall status to update
queue-kind-blocked-task = Blocked task
queue-kind-au-drop = Active Usage fell
queue-kind-new-subscription = New subscription to classify
digest-settings = E-mail digest
digest-settings-intro = A summary of what needs you and of the milestones your tenants reached, sent at 08:00 in your time zone.
digest-frequency = How often
digest-frequency-weekly = Weekly, on Mondays
digest-frequency-daily = Every day
digest-frequency-none = Never
digest-time-zone = Time zone
digest-save = Save the digest settings
digest-saved = Digest settings saved.
field-time-zone = Time zone
invalid-time-zone = `{ $value }` is not a time zone we know: give its IANA name, such as Europe/Madrid
digest-subject-weekly =
    { $count ->
        [0] Your week in ftop: nothing needs you
        [one] Your week in ftop: { $count } item needs you
       *[other] Your week in ftop: { $count } items need you
    }
digest-subject-daily =
    { $count ->
        [0] Your day in ftop: nothing needs you
        [one] Your day in ftop: { $count } item needs you
       *[other] Your day in ftop: { $count } items need you
    }
digest-greeting = Hello { $name },
digest-milestones = Milestones reached
digest-milestones-none = No service of your tenants reached a milestone in this period.
digest-milestone = { $tenant }: { $service } reached { $percent }% Active Usage on { $date }
digest-footer = You get this e-mail because of your digest setting; change it at { $link }.
digest-unsubscribe = Stop these e-mails
unsubscribe-title = Stop the e-mail digests
unsubscribe-confirm = Stop sending the e-mail digests to this account? You can turn them back on from your account page.
unsubscribe-button = Stop the digests
unsubscribe-done = Done: this account gets no more digests.
unsubscribe-invalid = This link is not valid (it may have been copied incompletely).

## Usage reports: performance overview, service usage, usage trend
report-performance = Performance overview
report-performance-about = Adoption on the latest usage figures, credited by engagement scenario to the service's primary: the partner when the partner leads or assists, FastTrack otherwise; then the growth of active users since the start of the year and the trend of qualified seats, active users and Active Usage by month.
report-credit = Adoption by engagement scenario
report-credit-about = A service is credited to its partner when its scenario is FTC-FTP Led or Customer-Led with FTP Assist, and to FastTrack under any other scenario.
report-credit-by-party = Adoption by who is credited
report-credit-partner = Partner
report-credit-fasttrack = FastTrack
report-col-credited-to = Credited to
report-col-share = Share of active users
report-ytd-growth = Growth of active users in { $year }
report-col-growth = Growth since the start of the year
report-col-chart = Chart
report-qe-au-trend = Qualified seats, active users and Active Usage by month
report-service-usage = Service usage
report-service-usage-about = Per service, the tenants and services with a usage figure, their qualified seats and active users, Active Usage uncapped and capped at 100% for each service, and the services in each bucket, on the latest figures or at the end of a chosen month.
report-as-of-latest = Counted on each service's latest usage figure.
report-as-of-month = Counted on each service's last usage figure of { $month }.
report-month-filter = Month (empty: latest figures)
report-col-tenants = Tenants
report-col-services = Services with usage
report-usage-trend = Usage trend
report-usage-trend-about = By month, on each service's last usage figure of the month: active users, qualified seats, Active Usage uncapped and capped at 100% for each service, and the conversion rate, the share of services with qualified seats at or above 10% and 40%.
report-usage-trend-charts = Active Usage by month
report-trend-chart-desc = A line over the months, with the 10% and 40% milestones drawn across; the numbers are in the table below.
report-conversion-trend = Conversion rate by month
report-by-month = By month
