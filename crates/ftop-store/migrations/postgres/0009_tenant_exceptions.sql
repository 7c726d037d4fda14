-- A tenant made eligible by exception (below the program's minimum seats) carries the
-- administrator's reason, shown on its Eligibility tab.

ALTER TABLE tenants ADD COLUMN exception_reason TEXT;
