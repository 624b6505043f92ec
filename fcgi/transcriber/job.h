/* job: medsys-transcriber's work on the database and the engine: one
 * audio chunk claimed, transcribed by the configured command, its lines
 * stored and its audio released; and the expiry of retained audio. */
#ifndef MEDSYS_TRANSCRIBER_JOB_H
#define MEDSYS_TRANSCRIBER_JOB_H

struct config;

/* Attempts per chunk before it is given up (its audio deleted). */
#define JOB_ATTEMPTS 3

/* Claim the oldest chunk due (FOR UPDATE SKIP LOCKED, leased), run the
 * engine on its file, store its lines and mark it transcribed, deleting
 * its audio unless retained; a failed run is retried later (backing off),
 * given up after JOB_ATTEMPTS. 1 one chunk handled (successfully or
 * not), 0 none due, -1 the database failed. */
int job_one(const struct config *cfg);

/* Delete the audio of chunks transcribed more than
 * cfg->tele_audio_retention_days ago. The number of files released, or
 * -1 when the database failed. */
int job_expire(const struct config *cfg);

#endif
