using InferenceServer.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace InferenceServer.IntegrationTests;

/// <summary>Wrong operations settings stop the start with a message naming the key and what would be right.</summary>
public sealed class OperationsStartupTests
{
    [Theory]
    [InlineData("Auth:KeysFile", "/no/such/keys-file", "Auth:KeysFile", "does not exist")]
    [InlineData("RateLimits:RequestsPerWindow", "-1", "RateLimits:RequestsPerWindow", "0 (off) or a positive number")]
    [InlineData("RateLimits:Window", "00:00:00", "RateLimits:Window", "positive time span")]
    [InlineData("Limits:MaxChatBodyBytes", "10", "Limits:MaxChatBodyBytes", "at least 1024 bytes")]
    [InlineData("Limits:MaxChoices", "0", "Limits:MaxChoices", "between 1 and 128")]
    [InlineData("Telemetry:OtlpProtocol", "udp", "Telemetry:OtlpProtocol", "grpc, http/protobuf")]
    [InlineData("Shutdown:DrainTimeout", "-00:00:01", "Shutdown:DrainTimeout", "positive time span")]
    [InlineData("Responses:MaxStoredResponses", "0", "Responses:MaxStoredResponses", "1 or more")]
    [InlineData("Responses:StoredResponseLifetimeMinutes", "-5", "Responses:StoredResponseLifetimeMinutes", "1 or more minutes")]
    public async Task AWrongValueNamesTheKey(string key, string value, string named, string hint)
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(named, e.Message);
        Assert.Contains(hint, e.Message);
    }

    [Fact]
    public async Task AWrongValueStopsTheProcessWithTheSentenceAlone()
    {
        var (exit, output) = await FailedStart.RunAsync("--RateLimits:RequestsPerWindow=-1");
        Assert.Equal(1, exit);
        Assert.Contains("InferenceServer cannot start: ", output);
        Assert.Contains("RateLimits:RequestsPerWindow", output);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain(" ERR] ", output);
    }
}
