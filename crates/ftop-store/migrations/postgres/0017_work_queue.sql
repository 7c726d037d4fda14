-- The work queue ("Needs me", issue 17; BENCHMARKS.md, B9) reads, for each tenant a user
-- is assigned to, its latest saved note, its blocked tasks and its new subscriptions
-- waiting to be classified. Partial indexes keep each of those a look-up among the few
-- rows that can matter: the saved notes by date (without reading the row for its
-- state), the blocked tasks of the current playbook, and the status rows whose
-- consumption status is still unknown.

CREATE INDEX notes_saved ON notes (tenant_id, created_at, id) WHERE state = 'saved';
CREATE INDEX task_states_blocked ON task_states (tenant_id)
    WHERE archived_version IS NULL AND status LIKE 'blocked-%';
CREATE INDEX entitlement_status_unknown ON entitlement_status (tenant_id, service)
    WHERE l1 = 'status-unknown';
