# CPU image. Build: docker build -t inferenceserver .   Run: docker run -p 8080:8080 inferenceserver
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

# Stage 2: the ASP.NET runtime, as the image's non-root user.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Server__ModelCacheDirectory=/tmp/inferenceserver-models \
    Server__LogFormat=json
VOLUME ["/models"]
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "InferenceServer.dll"]
