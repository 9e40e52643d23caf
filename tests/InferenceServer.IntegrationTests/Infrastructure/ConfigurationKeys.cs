using System.Collections;
using System.Reflection;
using InferenceServer.Hosting;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>
/// Whether an environment variable name is one the server reads: <c>Section__Key</c> resolved through the options
/// types the server binds (<see cref="ConfigurationSections"/>), or a variable of ASP.NET Core, .NET or OpenTelemetry.
/// </summary>
public static class ConfigurationKeys
{
    private static readonly HashSet<string> Platform = new(StringComparer.Ordinal)
    {
        "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_RUNNING_IN_CONTAINER",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES",
    };

    public static bool IsKnown(string environmentVariable)
    {
        if (Platform.Contains(environmentVariable))
        {
            return true;
        }

        var path = environmentVariable.Split("__");
        if (path.Length < 2)
        {
            return false;
        }

        if (string.Equals(path[0], "Models", StringComparison.OrdinalIgnoreCase))
        {
            return Resolves(typeof(ModelCatalogOptions), path);
        }

        if (ConfigurationSections.Passthrough.Contains(path[0], StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        return ConfigurationSections.Bound.TryGetValue(path[0], out var type) && Resolves(type, path.AsSpan(1));
    }

    private static bool Resolves(Type type, ReadOnlySpan<string> path)
    {
        foreach (var segment in path)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                type = type.GetGenericArguments()[1];
                continue;
            }

            if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
            {
                if (!int.TryParse(segment, out _))
                {
                    return false;
                }

                type = type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0];
                continue;
            }

            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite)
            {
                return false;
            }

            type = property.PropertyType;
        }

        return type == typeof(string) || type.IsValueType || Nullable.GetUnderlyingType(type) is not null;
    }
}
