# The fyp API image (used by docker-compose.yml). Stateless: scale it out behind a load balancer.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY api ./api
COPY cypher ./cypher
RUN pip install --no-cache-dir .
# GraphiQL's scripts, hash-checked, next to the installed package (run from / so the
# installed api package is the one imported, not the source copy in /app).
RUN cd / && python -m api.ide fetch
EXPOSE 8000
CMD ["fyp", "serve", "--host", "0.0.0.0", "--port", "8000"]
