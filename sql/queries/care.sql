-- care: the access decision for a patient's record (fcgi/core/care.c).

-- name: care_decide
-- $1 the doctor's user id (NULL: not a doctor), $2 the patient's id,
-- $3 the care window in months. Whether the id is a patient's account at
-- all, and the doctor's basis for access (ehr.care_basis), in one row.
SELECT EXISTS (SELECT 1 FROM auth.user_roles r
                WHERE r.user_id = $2::bigint AND r.role = 'patient'),
       b.basis, b.grant_id, b.grant_reason,
       to_char(b.grant_expires AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  FROM (SELECT 1) one
  LEFT JOIN LATERAL ehr.care_basis($1::bigint, $2::bigint, $3::int) b ON true;
