using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace InferenceServer.Security;

/// <summary>
/// The one way the server downloads a URL a client named (no SSRF): http(s) only, host on the allow-list, and every
/// address the name resolves to must be public — checked again inside the connection itself, on the address actually
/// dialled, so DNS rebinding between check and connect gains nothing. Redirects are followed only after the same checks
/// on their target; bodies are capped.
/// </summary>
public sealed class RemoteFetchPolicy : IDisposable
{
    private readonly RemoteFetchOptions _options;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly HttpClient _client;

    public RemoteFetchPolicy(IOptions<RemoteFetchOptions> options)
        : this(options.Value, Dns.GetHostAddressesAsync)
    {
    }

    internal RemoteFetchPolicy(RemoteFetchOptions options, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
    {
        _options = options;
        _resolve = resolve;
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectCallback = ConnectAsync,
        })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan, // FetchAsync's deadline covers every hop
            MaxResponseContentBufferSize = options.MaxBytes,
        };
    }

    /// <summary>Scheme and allow-list, without touching the network. Throws <see cref="RemoteFetchRefusedException"/>.</summary>
    public void CheckUrl(Uri uri)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new RemoteFetchRefusedException($"Only http and https URLs can be fetched, not '{(uri.IsAbsoluteUri ? uri.Scheme : uri.OriginalString)}'.");
        }

        if (!IsAllowedHost(uri.IdnHost))
        {
            throw new RemoteFetchRefusedException(
                $"The server does not fetch from '{uri.IdnHost}': it is not on RemoteFetch:AllowedHosts. Send the content inline (a data: URL) instead.");
        }
    }

    /// <summary><see cref="CheckUrl"/>, then resolves the host and returns the address to dial; refuses non-public addresses.</summary>
    public async Task<IPAddress> ResolveAsync(Uri uri, CancellationToken cancellationToken)
    {
        CheckUrl(uri);
        return await ResolveHostAsync(uri.IdnHost, cancellationToken);
    }

    /// <summary>
    /// Downloads an allowed URL (at most <see cref="RemoteFetchOptions.MaxBytes"/>). Redirects are followed up to
    /// <see cref="RemoteFetchOptions.MaxRedirects"/> times, each target checked again as if the client had named it.
    /// </summary>
    public async Task<byte[]> FetchAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            return await FollowAsync(uri, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RemoteFetchRefusedException($"Fetching '{uri}' took longer than RemoteFetch:Timeout ({_options.Timeout}).");
        }
    }

    private async Task<byte[]> FollowAsync(Uri uri, CancellationToken cancellationToken)
    {
        for (var hops = 0; ; hops++)
        {
            CheckUrl(uri);
            using var response = await GetAsync(uri, cancellationToken);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                if (hops >= _options.MaxRedirects)
                {
                    throw new RemoteFetchRefusedException($"Fetching '{uri}' redirected more than {_options.MaxRedirects} times (RemoteFetch:MaxRedirects).");
                }

                uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new RemoteFetchRefusedException($"Fetching '{uri}' answered {(int)response.StatusCode}.");
            }

            if (response.Content.Headers.ContentLength > _options.MaxBytes)
            {
                throw new RemoteFetchRefusedException($"'{uri}' is {response.Content.Headers.ContentLength} bytes; at most {_options.MaxBytes} are fetched (RemoteFetch:MaxBytes).");
            }

            try
            {
                return await response.Content.ReadAsByteArrayAsync(cancellationToken);
            }
            catch (HttpRequestException)
            {
                throw new RemoteFetchRefusedException($"'{uri}' is larger than {_options.MaxBytes} bytes (RemoteFetch:MaxBytes).");
            }
        }
    }

    private async Task<HttpResponseMessage> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is RemoteFetchRefusedException refused)
        {
            throw refused;
        }
    }

    internal bool IsAllowedHost(string host)
    {
        foreach (var allowed in _options.AllowedHosts)
        {
            if (allowed.StartsWith("*.", StringComparison.Ordinal)
                    ? host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase) && host.Length > allowed.Length - 1
                    : string.Equals(host, allowed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<IPAddress> ResolveHostAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await _resolve(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new RemoteFetchRefusedException($"'{host}' does not resolve to any address.");
        }

        foreach (var address in addresses)
        {
            if (!_options.AllowPrivateAddresses && !PublicAddress.IsPublic(address))
            {
                throw new RemoteFetchRefusedException(
                    $"'{host}' resolves to {address}, a private, loopback or link-local address; the server does not fetch from its own networks.");
            }
        }

        return addresses[0];
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var address = await ResolveHostAsync(context.DnsEndPoint.Host, cancellationToken);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(address, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _client.Dispose();
}
