# CPU image.
#   Build: docker build -t inferenceserver .
#   Demo:  docker run -p 8080:8080 inferenceserver
#   Model: docker run -p 8080:8080 -v ./my-model:/models/m:ro -e Models__0__Id=m -e Models__0__Path=/models/m inferenceserver
# Stage 1: restore from the project files alone (cached until a project file changes), then publish.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/InferenceServer/InferenceServer.csproj src/InferenceServer/
COPY src/InferenceServer.Engine/InferenceServer.Engine.csproj src/InferenceServer.Engine/
COPY src/InferenceServer.ModelForge/InferenceServer.ModelForge.csproj src/InferenceServer.ModelForge/
RUN dotnet restore src/InferenceServer/InferenceServer.csproj
COPY src/ src/
RUN dotnet publish src/InferenceServer/InferenceServer.csproj -c Release --no-restore -o /app

# Stage 2: the ASP.NET runtime, as the image's non-root user; the app folder belongs to root (read-only to the app).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# FFmpeg encodes the /v1/videos MP4s (through FFMpegCore); without it video requests get 503 naming the encoder.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /app .
# Configuration is by environment variable: Section__Key (see README "Configuration" and deploy/README.md).
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Server__ModelCacheDirectory=/tmp/inferenceserver-models \
    Server__LogFormat=json \
    Shutdown__DrainTimeout=00:00:25 \
    Videos__Directory=/tmp/inferenceserver-videos
VOLUME ["/models"]
EXPOSE 8080
USER $APP_UID
# The ASP.NET image has no curl: the server binary asks its own /health/ready.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["dotnet", "/app/InferenceServer.dll", "--health-check"]
# docker stop sends SIGTERM and waits 10 s by default: run with --stop-timeout 35 to let streams drain (25 s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "InferenceServer.dll"]
