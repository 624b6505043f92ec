-- pollfiles: what medsys-pollfiles writes (fcgi/pollfiles/, docs/chat.md "Polling").

-- name: pollfiles_all
-- Every chat thread's and every open (or lately ended) call room's
-- version: the files written after each (re)connection, since
-- notifications sent while disconnected are lost.
SELECT 'chat', id, version FROM chat.threads
UNION ALL
SELECT 'room', id, version FROM tele.rooms
 WHERE ended_at IS NULL OR ended_at > now() - interval '1 day';
