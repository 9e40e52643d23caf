using System.Globalization;
using System.Threading.RateLimiting;
using InferenceServer.Errors;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace InferenceServer.Security;

/// <summary>
/// ASP.NET Core rate limiting, partitioned by API key id: a fixed window of requests and a concurrency limit, chained.
/// Rejections are 429 with <c>Retry-After</c> and the error envelope; open paths are never limited.
/// </summary>
internal static class RateLimiting
{
    public static void Add(IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) =>
        {
            var l = limits.Value;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => l.RequestsPerWindow <= 0 || OpenPaths.IsOpen(context.Request.Path)
                    ? RateLimitPartition.GetNoLimiter(string.Empty)
                    : RateLimitPartition.GetFixedWindowLimiter(Partition(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = l.RequestsPerWindow,
                        Window = l.Window,
                        QueueLimit = 0,
                    })),
                PartitionedRateLimiter.Create<HttpContext, string>(context => l.ConcurrentRequests <= 0 || OpenPaths.IsOpen(context.Request.Path)
                    ? RateLimitPartition.GetNoLimiter(string.Empty)
                    : RateLimitPartition.GetConcurrencyLimiter(Partition(context), _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = l.ConcurrentRequests,
                        QueueLimit = 0,
                    })));
            o.OnRejected = OnRejectedAsync;
        });
    }

    private static string Partition(HttpContext context) =>
        context.Items.TryGetValue(ApiKeyStore.ItemKey, out var id) && id is string key
            ? key
            : "address:" + context.Connection.RemoteIpAddress;

    private static ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        string message;
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            message = $"Rate Limit Reached: too many requests for this API key; retry after {seconds} s.";
        }
        else
        {
            context.Response.Headers.RetryAfter = "1";
            message = "Rate Limit Reached: this API key already has the most requests running at once that it may; retry when one ends.";
        }

        return new ValueTask(ErrorWriter.WriteAsync(context, StatusCodes.Status429TooManyRequests, message, "rate_limit_error", null, "rate_limit_exceeded"));
    }
}
