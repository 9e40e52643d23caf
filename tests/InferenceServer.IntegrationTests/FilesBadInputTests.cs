using System.Net;
using System.Text;
using InferenceServer.IntegrationTests.Infrastructure;

namespace InferenceServer.IntegrationTests;

/// <summary>What the Files routes and chat's file parts refuse, always in the error envelope, never a 500.</summary>
[Collection(FilesServerCollection.Name)]
public sealed class FilesBadInputTests
{
    private readonly FilesServerFixture _fixture;

    public FilesBadInputTests(FilesServerFixture fixture) => _fixture = fixture;

    public static TheoryData<string, int, string> BadForms => new()
    {
        { "no-file", 400, "file" },
        { "no-purpose", 400, "purpose" },
        { "unknown-purpose", 400, "purpose" },
        { "not-an-image", 400, "file" },
        { "empty-file", 400, "file" },
        { "two-files", 400, "file" },
        { "short-expiry", 422, "expires_after[seconds]" },
        { "long-expiry", 422, "expires_after[seconds]" },
        { "word-expiry", 422, "expires_after[seconds]" },
        { "other-anchor", 422, "expires_after[anchor]" },
        { "seconds-alone", 400, "expires_after[anchor]" },
    };

    [Theory]
    [MemberData(nameof(BadForms))]
    public async Task ABadFormIsRefusedNamingTheFieldAndStoresNothing(string form, int status, string param)
    {
        var http = _fixture.Client(6);
        var png = Uploads.Png;
        (string, object)[] fields = form switch
        {
            "no-file" => [("purpose", "user_data")],
            "no-purpose" => [("file", png)],
            "unknown-purpose" => [("purpose", "fine-tune"), ("file", png)],
            "not-an-image" => [("purpose", "user_data"), ("file", Encoding.UTF8.GetBytes("just some text, not a picture"))],
            "empty-file" => [("purpose", "user_data"), ("file", Array.Empty<byte>())],
            "two-files" => [("purpose", "user_data"), ("file", png), ("file", png)],
            "short-expiry" => [("purpose", "user_data"), ("expires_after[anchor]", "created_at"), ("expires_after[seconds]", "60"), ("file", png)],
            "long-expiry" => [("purpose", "user_data"), ("expires_after[anchor]", "created_at"), ("expires_after[seconds]", "2592001"), ("file", png)],
            "word-expiry" => [("purpose", "user_data"), ("expires_after[anchor]", "created_at"), ("expires_after[seconds]", "an hour"), ("file", png)],
            "other-anchor" => [("purpose", "user_data"), ("expires_after[anchor]", "updated_at"), ("expires_after[seconds]", "3600"), ("file", png)],
            _ => [("purpose", "user_data"), ("expires_after[seconds]", "3600"), ("file", png)],
        };

        var (response, body) = await http.UploadAsync(fields);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(param, body.GetProperty("error").GetProperty("param").GetString());
        Assert.Empty((await http.GetJsonAsync("files")).GetProperty("data").EnumerateArray());
        Assert.Empty(Directory.EnumerateFiles(_fixture.Directory, ".upload-*"));
    }

    [Fact]
    public async Task ABodyThatIsNotMultipartOrIsBrokenIsA400Envelope()
    {
        var http = _fixture.Client(6);
        var json = await http.PostAsync("files", Http.Json(new { purpose = "user_data", file = "aGVsbG8=" }));
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.StartsWith("POST /files takes a multipart/form-data body", (await json.ReadJsonAsync()).GetProperty("error").GetProperty("message").GetString());

        var broken = new ByteArrayContent(Encoding.ASCII.GetBytes("--xyz\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nuser_da"));
        broken.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=xyz");
        var response = await http.PostAsync("v1/files", broken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", (await response.ReadJsonAsync()).GetProperty("error").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("files?limit=0", 422, "limit")]
    [InlineData("files?limit=1001", 422, "limit")]
    [InlineData("files?limit=ten", 422, "limit")]
    [InlineData("files?order=sideways", 422, "order")]
    [InlineData("files?purpose=batch", 400, "purpose")]
    [InlineData("files?after=file-api-00000000000000000000000000000000", 404, "after")]
    [InlineData("files/file-api-00000000000000000000000000000000", 404, "file_id")]
    [InlineData("files/..%2F..%2Fetc%2Fpasswd", 404, "file_id")]
    [InlineData("files/..%2F..%2Fetc%2Fpasswd/content", 404, "file_id")]
    [InlineData("v1/files/file-api-0123/content", 404, "file_id")]
    public async Task BadQueriesAndUnknownIdsAreRefusedNamingTheParameter(string path, int status, string param)
    {
        var response = await _fixture.Client(6).GetAsync(path);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(param, (await response.ReadJsonAsync()).GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task AChatPartNamingAnUnknownOrAnotherKeysFileIs404NamingThePart()
    {
        var owner = _fixture.Client(8);
        var other = _fixture.Client(9);
        var id = (await owner.UploadPngAsync()).Body.GetProperty("id").GetString()!;

        var (unknown, unknownBody) = await owner.PostJsonAsync("v1/chat/completions", Chat(new { type = "image_url", image_url = new { file_id = "file-api-ffffffffffffffffffffffffffffffff" } }));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("messages[0].content[1].image_url.file_id", unknownBody.GetProperty("error").GetProperty("param").GetString());

        var (foreign, foreignBody) = await other.PostJsonAsync("chat/completions", Chat(new { type = "file", file = new { file_id = id } }));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("messages[0].content[1].file.file_id", foreignBody.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal($"No such file: '{id}'. GET /files lists the files of this API key.", foreignBody.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task AChatPartNamingTheKeysOwnFileGetsTheSameRefusalAsAnInlineImage()
    {
        var http = _fixture.Client(10);
        var id = (await http.UploadPngAsync()).Body.GetProperty("id").GetString()!;
        var dataUrl = "data:image/png;base64," + Convert.ToBase64String(Uploads.Png);

        foreach (var (kind, byId, inline) in new (string, object, object)[]
                 {
                     ("image_url", new { type = "image_url", image_url = new { file_id = id } }, new { type = "image_url", image_url = new { url = dataUrl } }),
                     ("file", new { type = "file", file = new { file_id = id } }, new { type = "file", file = new { file_data = dataUrl, filename = "a.png" } }),
                     ("file", new { type = "file", file_id = id }, new { type = "file", file_data = dataUrl }),
                 })
        {
            var (refused, refusedBody) = await http.PostJsonAsync("chat/completions", Chat(byId));
            var (inlined, inlinedBody) = await http.PostJsonAsync("chat/completions", Chat(inline));
            Assert.Equal(inlined.StatusCode, refused.StatusCode);
            Assert.Equal(inlinedBody.GetRawText(), refusedBody.GetRawText());
            Assert.Contains($"content parts of type '{kind}' are not supported", refusedBody.GetProperty("error").GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task AResponsesInputImageNamingAFileIs404ForAnotherKeyAndTheImageRefusalForTheOwner()
    {
        var owner = _fixture.Client(11);
        var other = _fixture.Client(12);
        var id = (await owner.UploadPngAsync()).Body.GetProperty("id").GetString()!;
        object Input(string fileId) => new
        {
            model = "deepseek-chat",
            input = new[] { new { role = "user", content = new object[] { new { type = "input_text", text = "What is in it?" }, new { type = "input_image", file_id = fileId } } } },
        };

        var (foreign, foreignBody) = await other.PostJsonAsync("v1/responses", Input(id));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("input[0].content[1].file_id", foreignBody.GetProperty("error").GetProperty("param").GetString());

        var (owned, ownedBody) = await owner.PostJsonAsync("v1/responses", Input(id));
        Assert.Equal(HttpStatusCode.BadRequest, owned.StatusCode);
        Assert.Contains("content parts of type 'input_image' are not supported", ownedBody.GetProperty("error").GetProperty("message").GetString());
    }

    private static object Chat(object part) => new
    {
        model = "deepseek-chat",
        messages = new[] { new { role = "user", content = new object[] { new { type = "text", text = "What is in it?" }, part } } },
    };
}
