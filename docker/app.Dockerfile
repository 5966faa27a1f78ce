# Our code (Python 3.11): the web app, the action server and the Telegram
# gateway share this image; docker-compose.yml picks the command.
FROM python:3.11-slim
WORKDIR /app
COPY requirements/app.txt requirements/app.txt
RUN pip install --no-cache-dir -r requirements/app.txt
COPY alembic.ini ./
COPY bot bot
COPY actions actions
COPY knowledge knowledge
RUN useradd --system regie && mkdir -p var && chown regie var
USER regie
CMD ["python", "-m", "bot.cli", "serve-web"]
