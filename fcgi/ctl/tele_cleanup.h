/* tele_cleanup: medsysctl tele-cleanup, closing the video visits' rooms
 * nobody is in any more (docs/tele.md "Stale rooms"). */
#ifndef MEDSYS_CTL_TELE_CLEANUP_H
#define MEDSYS_CTL_TELE_CLEANUP_H

/* Minutes without a sign of life from anyone in a room (a page or a
 * signalling poll) after which it is closed, and hours after the visit's
 * end after which it is closed anyway. */
#define TELE_IDLE_MINUTES 10
#define TELE_LATE_HOURS 2

/* In one transaction: end every stale room (end_reason 'stale', everyone
 * out, an audit row "tele.stale" each) and remove the signals of every
 * ended room. The database must be open (db_init). Prints what it did.
 * 0, or 1 when the database refused. */
int tele_cleanup(int idle_minutes);

#endif
