using System.Net;
using System.Net.Sockets;
using InferenceServer.Security;

namespace InferenceServer.Tests.Security;

/// <summary>No SSRF: only allow-listed hosts, only public addresses (after DNS), redirects checked again, bounded bodies.</summary>
public sealed class RemoteFetchPolicyTests
{
    private static RemoteFetchPolicy Policy(params string[] allowed) =>
        new(new RemoteFetchOptions { AllowedHosts = [.. allowed] }, Resolve);

    /// <summary>A fixed DNS: the names these tests use and what they resolve to.</summary>
    private static Task<IPAddress[]> Resolve(string host, CancellationToken cancellationToken) => Task.FromResult(host switch
    {
        "images.example.com" => new[] { IPAddress.Parse("93.184.216.34") },
        "rebind.example.com" => [IPAddress.Parse("93.184.216.34"), IPAddress.Parse("169.254.169.254")],
        "internal.example.com" => [IPAddress.Parse("10.0.0.5")],
        _ => [],
    });

    [Fact]
    public void WithAnEmptyAllowListEveryUrlIsRefused()
    {
        var e = Assert.Throws<RemoteFetchRefusedException>(() => Policy().CheckUrl(new Uri("https://images.example.com/cat.png")));
        Assert.Contains("RemoteFetch:AllowedHosts", e.Message);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://images.example.com/cat.png")]
    [InlineData("gopher://images.example.com/")]
    public void OnlyHttpAndHttpsAreFetched(string url) =>
        Assert.Throws<RemoteFetchRefusedException>(() => Policy("images.example.com").CheckUrl(new Uri(url)));

    [Theory]
    [InlineData("https://images.example.com/cat.png", "images.example.com")]
    [InlineData("https://cdn.example.com/cat.png", "*.example.com")]
    [InlineData("https://a.b.example.com/cat.png", "*.example.com")]
    public void AllowListedHostsPass(string url, string allowed) => Policy(allowed).CheckUrl(new Uri(url));

    [Theory]
    [InlineData("https://example.com/cat.png", "*.example.com")]
    [InlineData("https://evilexample.com/cat.png", "*.example.com")]
    [InlineData("https://images.example.com.evil.net/cat.png", "images.example.com")]
    [InlineData("https://images.example.com@evil.net/cat.png", "images.example.com")]
    public void LookAlikeHostsAreRefused(string url, string allowed) =>
        Assert.Throws<RemoteFetchRefusedException>(() => Policy(allowed).CheckUrl(new Uri(url)));

    [Fact]
    public async Task AnAllowListedNameResolvingToAPublicAddressIsDialled()
    {
        var address = await Policy("images.example.com").ResolveAsync(new Uri("https://images.example.com/cat.png"), CancellationToken.None);
        Assert.Equal(IPAddress.Parse("93.184.216.34"), address);
    }

    [Theory]
    [InlineData("https://internal.example.com/x", "internal.example.com")]
    [InlineData("https://rebind.example.com/x", "rebind.example.com")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254")]
    [InlineData("http://[::1]:8080/models", "[::1]")]
    [InlineData("http://127.0.0.1:8080/models", "127.0.0.1")]
    public async Task AllowListedHostsThatResolveInsideAreRefused(string url, string allowed)
    {
        var e = await Assert.ThrowsAsync<RemoteFetchRefusedException>(() => Policy(allowed.Trim('[', ']'), allowed).ResolveAsync(new Uri(url), CancellationToken.None));
        Assert.Contains("private, loopback or link-local", e.Message);
    }

    [Fact]
    public async Task LocalhostResolvedByTheRealDnsIsRefused()
    {
        using var policy = new RemoteFetchPolicy(Microsoft.Extensions.Options.Options.Create(new RemoteFetchOptions { AllowedHosts = ["localhost"] }));
        await Assert.ThrowsAsync<RemoteFetchRefusedException>(() => policy.ResolveAsync(new Uri("http://localhost/"), CancellationToken.None));
    }

    [Fact]
    public async Task AFetchIsCheckedAtConnectTimeToo()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var policy = new RemoteFetchPolicy(Microsoft.Extensions.Options.Options.Create(new RemoteFetchOptions { AllowedHosts = ["localhost"] }));
        await Assert.ThrowsAsync<RemoteFetchRefusedException>(() => policy.FetchAsync(new Uri($"http://localhost:{port}/cat.png"), CancellationToken.None));
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task WithPrivateAddressesAllowedAnAllowListedInternalStoreIsFetchedAndEachRedirectIsCheckedAgain()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = ServeAsync(listener, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
            $"HTTP/1.1 302 Found\r\nLocation: http://localhost:{port}/cat.png\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nmoved",
            "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        using var policy = new RemoteFetchPolicy(Microsoft.Extensions.Options.Options.Create(
            new RemoteFetchOptions { AllowedHosts = ["localhost"], AllowPrivateAddresses = true }));

        Assert.Equal("hello"u8.ToArray(), await policy.FetchAsync(new Uri($"http://localhost:{port}/cat.png"), CancellationToken.None));
        Assert.Equal("moved"u8.ToArray(), await policy.FetchAsync(new Uri($"http://localhost:{port}/moved"), CancellationToken.None));
        var e = await Assert.ThrowsAsync<RemoteFetchRefusedException>(() => policy.FetchAsync(new Uri($"http://localhost:{port}/away"), CancellationToken.None));
        Assert.Contains("'169.254.169.254': it is not on RemoteFetch:AllowedHosts", e.Message);
        await serving;
    }

    [Fact]
    public async Task AHostThatNeverAnswersIsRefusedAtTheDeadline()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(); // accepts the connection (the backlog) and never answers
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var policy = new RemoteFetchPolicy(Microsoft.Extensions.Options.Options.Create(
            new RemoteFetchOptions { AllowedHosts = ["localhost"], AllowPrivateAddresses = true, Timeout = TimeSpan.FromMilliseconds(300) }));

        var e = await Assert.ThrowsAsync<RemoteFetchRefusedException>(() => policy.FetchAsync(new Uri($"http://localhost:{port}/slow.png"), CancellationToken.None));
        Assert.Contains("took longer than RemoteFetch:Timeout", e.Message);
    }

    private static async Task ServeAsync(TcpListener listener, params string[] responses)
    {
        foreach (var response in responses)
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[4096];
            var read = 0;
            while (!System.Text.Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                read += await stream.ReadAsync(buffer.AsMemory(read));
            }

            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(response));
        }
    }
}
