# The Finder Platform server. Build: docker build -t finder .
# Run against MongoDB: docker compose up (see docker-compose.yml).

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Static binary: FerretDB's SQLite backend is pure Go, so no cgo is needed.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/finder ./server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/finder /finder
ENV FINDER_ADDR=:8080 \
    FINDER_DATA_DIR=/data \
    FINDER_LOG_FORMAT=json
EXPOSE 8080
USER nonroot
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s CMD ["/finder", "healthcheck"]
ENTRYPOINT ["/finder"]
