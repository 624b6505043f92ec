-- health: the load balancers' check.

-- name: health_ping
SELECT 1;
