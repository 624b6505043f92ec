-- Lab results seen by the doctor (issue 11, lab-patient;
-- docs/lab-results.md "Doctor"): the new-results inbox lists an order of
-- the doctor's while a result of it was released after the doctor last
-- marked it seen. A mark is a row of its own (seeing again after a
-- correction adds one): nothing is changed in place, as for every
-- clinical row (DESIGN.md). The report's signature needs no table: its
-- token is signed when it is printed and verified against the released
-- results as they are then (lib/rxtoken.h lab_digest).

CREATE TABLE lab.results_seen (
    doctor_user  bigint NOT NULL REFERENCES auth.users(id),
    order_id     bigint NOT NULL REFERENCES lab.orders(id),
    seen_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX results_seen_doctor ON lab.results_seen (doctor_user, order_id, seen_at DESC);

CREATE TRIGGER results_seen_frozen BEFORE UPDATE OR DELETE ON lab.results_seen
    FOR EACH ROW EXECUTE FUNCTION ehr.refuse_change();
CREATE TRIGGER results_seen_no_truncate BEFORE TRUNCATE ON lab.results_seen
    FOR EACH STATEMENT EXECUTE FUNCTION ehr.refuse_change();
GRANT SELECT, INSERT ON lab.results_seen TO medsys_app;
