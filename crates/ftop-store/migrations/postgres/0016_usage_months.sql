-- Usage by month (issue 17's trend reports): per tenant, service and calendar month the
-- month's last usage figure (its day, active users and the seats it carries), and per
-- month and service the totals the reports read without touching the figures. Kept in
-- the transaction of every change of figures or seats (adoption/months.rs). Months are
-- numbered year x 12 + month - 1. Filled for existing figures by the next
-- `ftop usage recompute`.

CREATE TABLE usage_months (
    tkey          INTEGER NOT NULL,
    svc           INTEGER NOT NULL,
    month         INTEGER NOT NULL,
    day           INTEGER NOT NULL,
    active_users  INTEGER NOT NULL,
    qualified     INTEGER NOT NULL,
    PRIMARY KEY (tkey, svc, month)
);
CREATE INDEX usage_months_month ON usage_months (month, svc);

-- services: (tenant, service) pairs with a figure that month; with_seats: of which with
-- qualified seats (AU defined); seated_active / qualified: their active users and seats;
-- capped_active: their active users, at most their seats; at_10 / at_40: of which at or
-- above 10% and 40%; active_users: every pair's active users.
CREATE TABLE usage_month_totals (
    month          INTEGER NOT NULL,
    svc            INTEGER NOT NULL,
    services       BIGINT NOT NULL,
    with_seats     BIGINT NOT NULL,
    active_users   BIGINT NOT NULL,
    seated_active  BIGINT NOT NULL,
    qualified      BIGINT NOT NULL,
    capped_active  BIGINT NOT NULL,
    at_10          BIGINT NOT NULL,
    at_40          BIGINT NOT NULL,
    PRIMARY KEY (month, svc)
);
