-- Polls nginx answers itself (docs/chat.md "Polling"): every new chat
-- thread and every change of one is announced on medsys_poll as
-- "chat ID VERSION"; medsys-pollfiles rewrites the thread's poll file.
-- (034_tele.sql announces call rooms the same way as "room ID VERSION".)
CREATE OR REPLACE FUNCTION chat.announce() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM pg_notify('medsys_cache', 'chat');
    END IF;
    PERFORM pg_notify('medsys_poll', 'chat ' || NEW.id || ' ' || NEW.version);
    RETURN NULL;
END
$$;
CREATE TRIGGER threads_announce_new AFTER INSERT ON chat.threads
    FOR EACH ROW EXECUTE FUNCTION chat.announce();
