using System.ClientModel;
using System.Net;
using System.Text.Json;
using InferenceServer.IntegrationTests.Infrastructure;
using OpenAI;
using OpenAI.Files;

namespace InferenceServer.IntegrationTests;

/// <summary>DeepSeek's Files API over real multipart HTTP and the OpenAI .NET SDK's file client; each test has its own API key.</summary>
[Collection(FilesServerCollection.Name)]
public sealed class FilesApiTests
{
    private readonly FilesServerFixture _fixture;

    public FilesApiTests(FilesServerFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task TheSdkUploadsListsReadsDownloadsAndDeletesAFile()
    {
#pragma warning disable OPENAI001 // user_data, DeepSeek's purpose for images, is marked experimental in the SDK.
        var client = new OpenAIFileClient(new ApiKeyCredential(FilesServerFixture.Keys[0]),
            new OpenAIClientOptions { Endpoint = new Uri(_fixture.Server.BaseAddress, "v1") });

        OpenAIFile uploaded = await client.UploadFileAsync(BinaryData.FromBytes(Uploads.Png), "cat.png", FileUploadPurpose.UserData);
        Assert.Matches("^file-api-[0-9a-f]{32}$", uploaded.Id);
        Assert.Equal("cat.png", uploaded.Filename);
        Assert.Equal(Uploads.Png.Length, uploaded.SizeInBytes);
        Assert.Equal(FilePurpose.UserData, uploaded.Purpose);
#pragma warning restore OPENAI001

        OpenAIFile read = await client.GetFileAsync(uploaded.Id);
        Assert.Equal(uploaded.CreatedAt, read.CreatedAt);
        OpenAIFileCollection all = await client.GetFilesAsync();
        Assert.Equal([uploaded.Id], all.Select(f => f.Id));
        BinaryData content = await client.DownloadFileAsync(uploaded.Id);
        Assert.Equal(Uploads.Png, content.ToArray());

        FileDeletionResult deleted = await client.DeleteFileAsync(uploaded.Id);
        Assert.True(deleted.Deleted);
        Assert.Equal(uploaded.Id, deleted.FileId);
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => client.GetFileAsync(uploaded.Id));
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task CurlShapedUploadReturnsDeepSeeksFileObjectAndTheBytesComeBack()
    {
        var http = _fixture.Client(1);
        var (response, file) = await http.UploadAsync(("file", Uploads.Png), ("purpose", "user_data"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["id", "object", "bytes", "created_at", "filename", "purpose", "status"], file.EnumerateObject().Select(p => p.Name));
        Assert.Equal("file", file.GetProperty("object").GetString());
        Assert.Equal(Uploads.Png.Length, file.GetProperty("bytes").GetInt64());
        Assert.Equal("picture.png", file.GetProperty("filename").GetString());
        Assert.Equal("user_data", file.GetProperty("purpose").GetString());
        var id = file.GetProperty("id").GetString();

        var content = await http.GetAsync($"files/{id}/content");
        Assert.Equal("image/png", content.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Uploads.Png, await content.Content.ReadAsByteArrayAsync());
        Assert.Equal(file.GetRawText(), (await (await http.GetAsync($"files/{id}")).ReadJsonAsync()).GetRawText());

        var deleted = await (await http.DeleteAsync($"files/{id}")).ReadJsonAsync();
        Assert.Equal($"{{\"id\":\"{id}\",\"object\":\"file\",\"deleted\":true}}", deleted.GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync($"files/{id}")).StatusCode);
    }

    [Fact]
    public async Task UploadsWithExpiresAfterCarryExpiresAt()
    {
        var (response, file) = await _fixture.Client(7).UploadAsync(
            ("purpose", "user_data"), ("expires_after[anchor]", "created_at"), ("expires_after[seconds]", "3600"), ("file", Uploads.Png));
        Assert.True(response.StatusCode == HttpStatusCode.OK, file.GetRawText());
        Assert.Equal(file.GetProperty("created_at").GetInt64() + 3600, file.GetProperty("expires_at").GetInt64());
    }

    [Fact]
    public async Task ListingPagesInUploadOrderWithCursors()
    {
        var http = _fixture.Client(2);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await http.UploadPngAsync()).Body.GetProperty("id").GetString()!);
        }

        var all = await http.GetJsonAsync("files");
        Assert.Equal(ids, Ids(all));
        Assert.False(all.GetProperty("has_more").GetBoolean());
        Assert.Equal(ids.AsEnumerable().Reverse(), Ids(await http.GetJsonAsync("files?order=desc")));

        var first = await http.GetJsonAsync("files?limit=2");
        Assert.Equal(ids[..2], Ids(first));
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.Equal(ids[0], first.GetProperty("first_id").GetString());
        Assert.Equal(ids[1], first.GetProperty("last_id").GetString());
        var second = await http.GetJsonAsync($"files?limit=2&after={ids[1]}");
        Assert.Equal(ids[2..4], Ids(second));
        Assert.True(second.GetProperty("has_more").GetBoolean());
        var last = await http.GetJsonAsync($"v1/files?limit=2&after={ids[3]}");
        Assert.Equal(ids[4..], Ids(last));
        Assert.False(last.GetProperty("has_more").GetBoolean());
        Assert.Equal(ids[..2], Ids(await http.GetJsonAsync("files?purpose=user_data&limit=2")));
    }

    [Fact]
    public async Task AnotherKeyCannotSeeReadOrDeleteAFile()
    {
        var owner = _fixture.Client(3);
        var other = _fixture.Client(4);
        var id = (await owner.UploadPngAsync()).Body.GetProperty("id").GetString();

        foreach (var response in new[]
                 {
                     await other.GetAsync($"files/{id}"), await other.GetAsync($"files/{id}/content"), await other.DeleteAsync($"v1/files/{id}"),
                 })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var error = (await response.ReadJsonAsync()).GetProperty("error");
            Assert.Equal("file_not_found", error.GetProperty("code").GetString());
            Assert.Equal($"No such file: '{id}'. GET /files lists the files of this API key.", error.GetProperty("message").GetString());
        }

        Assert.Empty(Ids(await other.GetJsonAsync("files")));
        Assert.Equal([id!], Ids(await owner.GetJsonAsync("files")));
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"files/{id}/content")).StatusCode);
    }

    [Theory]
    [InlineData("text_recognition")]
    [InlineData("rich_layout_recognition")]
    public async Task DocumentPurposesSayNoDocumentModelIsConfigured(string purpose)
    {
        var http = _fixture.Client(5);
        foreach (var fields in new[] { new (string, object)[] { ("purpose", purpose), ("file", Uploads.Png) }, [("file", Uploads.Png), ("purpose", purpose)] })
        {
            var (response, body) = await http.UploadAsync(fields);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = body.GetProperty("error");
            Assert.Equal("purpose", error.GetProperty("param").GetString());
            Assert.Equal("document_model_unavailable", error.GetProperty("code").GetString());
            Assert.Equal($"purpose '{purpose}' asks for document parsing, and no document model is configured on this server. "
                + "Upload images with purpose 'user_data'.", error.GetProperty("message").GetString());
        }

        Assert.Empty(Ids(await http.GetJsonAsync("files")));
        Assert.Empty(Directory.EnumerateFiles(_fixture.Directory, ".upload-*"));
    }

    private static IEnumerable<string> Ids(JsonElement list) =>
        list.GetProperty("data").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).ToList();
}
