# The Rasa engine (Python 3.10, pinned Rasa 3.6 environment) with a model
# trained at build time, so nothing is downloaded or trained at run time.
FROM python:3.10-slim
WORKDIR /app
COPY requirements/rasa.txt requirements/rasa.txt
RUN pip install --no-cache-dir -r requirements/rasa.txt
COPY config.yml endpoints.yml credentials.yml ./
COPY domain domain
COPY nlu nlu
# Rasa's command with its per-message checks made once, and its tracker store (they import nothing else of ours but bot/db.py).
COPY bot/__init__.py bot/db.py bot/rasa_server.py bot/rasa_tracker_store.py bot/
ENV RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1
RUN rasa train --data nlu --domain domain --config config.yml --out models --fixed-model-name current
# No --enable-api: Rasa's HTTP API must never be reachable.
CMD ["python", "-m", "bot.rasa_server", "run", "--model", "models/current.tar.gz", "--endpoints", "endpoints.yml", \
     "--credentials", "credentials.yml", "--interface", "0.0.0.0", "--port", "5005"]
