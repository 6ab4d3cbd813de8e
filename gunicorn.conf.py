"""Gunicorn settings for the portal: `gunicorn --config gunicorn.conf.py wsgi:app`.

Options given on the command line or in GUNICORN_CMD_ARGS override these.
"""

import os

# Behind the reverse proxy, on the loopback by default.
bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")

# Sync workers: one request at a time per process. A request spends part of its time waiting
# for the database, so slightly more workers than cores keep the CPUs busy (gunicorn's own
# rule, 2 x cores + 1). Capped at 8: os.cpu_count() sees every core of the host inside a
# container, and each worker holds its own database connections and about 100 MB.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1) + 1, 8))

# A worker silent for this long is killed and replaced. No page waits for SMTP any more (the
# mail worker delivers e-mails); the slowest page, the workbook of a large call, takes seconds.
timeout = 30
# On TERM or HUP, workers finish the requests under way for up to this long before being killed.
graceful_timeout = 30
# Seconds an idle keep-alive connection stays open. Sync workers close the connection after
# each response (the reverse proxy keeps the browsers' connections), so this only matters if
# worker_class is changed to gthread.
keepalive = 5

# Replace each worker after 1,000 to 1,500 requests, bounding any slow growth of its memory. The
# jitter is wide: with requests spread evenly, a jitter of 100 restarted all four workers within
# a second or two of one another, a pause of seconds for whoever was waiting.
max_requests = 1000
max_requests_jitter = 500

# Not preloaded: each worker imports the app after the fork and opens its own database
# connections, so no connection (or SQLite handle) is ever shared between processes.
preload_app = False

# No control socket (gunicorn 25.1 and later): the service is stopped and reloaded by signals,
# and two instances under one account would compete for $HOME/.gunicorn/gunicorn.ctl.
control_socket_disable = True

# Access log on stdout (the service manager's journal), with the duration in milliseconds; the
# tokens of claim, webinar, invitation and password links are masked (app/core/access_log.py).
accesslog = "-"
logger_class = "app.core.access_log.AccessLogger"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
errorlog = "-"
