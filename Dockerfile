# The bot for docker-compose.yml: `rapport-coach serve` over PostgreSQL.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY prompts ./prompts
RUN pip install --no-cache-dir ".[postgres]" \
    && useradd --system --uid 10001 --no-create-home rapport
USER rapport
EXPOSE 8080
CMD ["rapport-coach", "serve", "--host=0.0.0.0", "--port=8080"]
