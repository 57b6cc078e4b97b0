# syntax=docker/dockerfile:1
# ChatterWeb: built with the .NET SDK, run on the ASP.NET Core runtime as the non-root user 'app'.
#   docker build -t chatterweb .
#   docker run -p 8080:8080 -v chatter-data:/app/data chatterweb      # one instance, SQLite in the volume
# Several instances on SQL Server and Redis: compose.yaml. Settings: docs/OPERATIONS.md.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore from the project file and the build settings alone, so this layer (and the package
# download) is reused until one of them changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY ChatterWeb/ChatterWeb.csproj ChatterWeb/
# ReadyToRun (code compiled ahead of time for the image's architecture) starts the server about a
# quarter sooner, more on a busy host (docs/BENCHMARKS.md, startup); it needs the runtime identifier
# at restore as at publish.
ARG TARGETARCH=amd64
RUN dotnet restore ChatterWeb/ChatterWeb.csproj -a $TARGETARCH
COPY ChatterWeb/ ChatterWeb/
RUN dotnet publish ChatterWeb/ChatterWeb.csproj --no-restore -c Release -a $TARGETARCH --self-contained false -p:PublishReadyToRun=true -o /app/publish -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# LDAP / Active Directory sign-in: System.DirectoryServices.Protocols calls the system's OpenLDAP client
# library (libldap.so.2, package libldap2 on Ubuntu 24.04, the image's base; libldap-2.5-0 on older bases).
RUN apt-get update \
    && (apt-get install -y --no-install-recommends libldap2 || apt-get install -y --no-install-recommends libldap-2.5-0) \
    && rm -rf /var/lib/apt/lists/*
# The only writable places: data/ (the default SQLite file, data/chatter.db under the content root,
# and uploaded files in data/attachments: a volume mounted there starts owned by the app user) and
# the data-protection key ring under the app user's home. The app's own files stay root-owned.
RUN mkdir -p /app/data/attachments /home/app/.aspnet/DataProtection-Keys \
    && chown -R "$APP_UID:$APP_UID" /app/data /home/app/.aspnet
COPY --from=build /app/publish .
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
VOLUME /app/data
USER $APP_UID
# The runtime image has no curl or wget: bash's /dev/tcp sends one HTTP/1.1 request to /healthz on the
# first port in ASPNETCORE_HTTP_PORTS and wants a 200 status line. A hung app fails by --timeout.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "p=${ASPNETCORE_HTTP_PORTS:-8080}; exec 3<>/dev/tcp/127.0.0.1/${p%%[;,]*} && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "ChatterWeb.dll"]
