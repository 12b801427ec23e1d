"""Background jobs kept in the database: scoring and transcription run off the web process.

Job state lives in the `jobs` table, so any app process can answer a status request and any
worker process, on any machine pointed at the same database, can do the work. See
service.py for how a job is claimed without two workers ever running it at once.
"""
