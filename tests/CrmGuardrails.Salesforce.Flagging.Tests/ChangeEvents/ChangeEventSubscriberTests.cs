using CrmGuardrails.Salesforce.ChangeEvents;
using CrmGuardrails.Salesforce.ChangeEvents.PubSub;

namespace CrmGuardrails.Salesforce.Flagging.Tests.ChangeEvents;

/// <summary>The CDC subscriber against an in-test Pub/Sub API (gRPC over h2c on 127.0.0.1) serving Avro-encoded events.</summary>
public sealed class ChangeEventSubscriberTests : IAsyncLifetime
{
    private readonly string _replayDirectory = Path.Combine(Path.GetTempPath(), "crmguard-replay-" + Guid.NewGuid().ToString("N"));
    private PubSubEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await PubSubEmulator.StartAsync();
        ChangeEvents.AddTopics(_emulator);
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        if (Directory.Exists(_replayDirectory))
            Directory.Delete(_replayDirectory, recursive: true);
    }

    private FileReplayIdStore Store() => new(_replayDirectory);

    [Fact]
    public async Task TaskCreate_RepCollisionFlagWritten_ThenReplayIdStored()
    {
        var writer = new RecordingWriter();
        var store = Store();
        var replayId = _emulator.Publish(ChangeEvents.TaskTopic, ChangeEvents.TaskSchemaId, ChangeEvents.TaskCreate("00T5g00000CDCTA001", Ids.Omar));

        await using (await SubscriberRun.StartAsync(_emulator, writer, store))
            Assert.True(await SubscriberRun.UntilAsync(() => writer.Latest.ContainsKey("00T5g00000CDCTA001")));

        var outcome = writer.Latest["00T5g00000CDCTA001"];
        Assert.Equal("rep-collision", outcome.Result.Findings[0].RuleId);
        Assert.Equal(Ids.Discovery, outcome.Result.Findings[0].Collision!.Record.Id);
        Assert.Equal(Ids.Ade, outcome.Request.UserId);
        Assert.Equal(replayId, await store.GetAsync(ChangeEvents.TaskTopic, default));
        Assert.Equal(1, _emulator.SchemaCalls);
    }

    [Fact]
    public async Task LeadCreate_CompoundNameAndEpochDates_Read_ExistingCustomerFlagged()
    {
        var writer = new RecordingWriter();
        _emulator.Publish(ChangeEvents.LeadTopic, ChangeEvents.LeadSchemaId, ChangeEvents.LeadCreate("00Q5g00000CDCLD001", "Contoso Pharmaceuticals", "kim@contoso-pharma.co.uk"));

        await using (await SubscriberRun.StartAsync(_emulator, writer, Store()))
            Assert.True(await SubscriberRun.UntilAsync(() => writer.Latest.ContainsKey("00Q5g00000CDCLD001")));

        var outcome = writer.Latest["00Q5g00000CDCLD001"];
        Assert.Contains("existing-customer", outcome.Rules);
        var lead = Assert.IsType<Lead>(outcome.Request.Record);
        Assert.Equal(("Kim", "Lee"), (lead.FirstName, lead.LastName));
        Assert.Equal(new DateTimeOffset(ChangeEvents.When), outcome.Request.OccurredAt);
    }

    [Fact]
    public async Task Restart_ResumesAfterTheStoredReplayId_NothingLostNothingRepeated()
    {
        var store = Store();
        var first = new RecordingWriter();
        _emulator.Publish(ChangeEvents.TaskTopic, ChangeEvents.TaskSchemaId, ChangeEvents.TaskCreate("00T5g00000CDCTA001", Ids.Omar));
        var second = _emulator.Publish(ChangeEvents.TaskTopic, ChangeEvents.TaskSchemaId, ChangeEvents.TaskCreate("00T5g00000CDCTA002", Ids.Omar));
        // Stopped once the second event's replay id is stored, not merely written: an event written but not yet
        // acknowledged is delivered again after a restart, as it must be.
        await using (await SubscriberRun.StartAsync(_emulator, first, store))
            Assert.True(await SubscriberRun.UntilAsync(() => first.Latest.Count == 2 && store.GetAsync(ChangeEvents.TaskTopic, default).AsTask().Result is { } stored && stored.SequenceEqual(second)));

        // Published while the subscriber is down.
        _emulator.Publish(ChangeEvents.TaskTopic, ChangeEvents.TaskSchemaId, ChangeEvents.TaskCreate("00T5g00000CDCTA003", Ids.Omar));
        var restarted = new RecordingWriter();
        await using (await SubscriberRun.StartAsync(_emulator, restarted, store))
            Assert.True(await SubscriberRun.UntilAsync(() => restarted.Latest.ContainsKey("00T5g00000CDCTA003")));

        Assert.Equal(["00T5g00000CDCTA003"], restarted.Latest.Keys);
        var resume = _emulator.Fetches.Last(f => f.TopicName == ChangeEvents.TaskTopic && f.ReplayPreset == ReplayPreset.Custom);
        Assert.Equal(second, resume.ReplayId.ToByteArray());
    }

    [Fact]
    public async Task WriterFailing_ReplayIdNotStored_EventDeliveredAgainAndRecordedOnceTheOrgIsBack()
    {
        var store = Store();
        var writer = new RecordingWriter { Failing = 1 };
        var replayId = _emulator.Publish(ChangeEvents.TaskTopic, ChangeEvents.TaskSchemaId, ChangeEvents.TaskCreate("00T5g00000CDCTA001", Ids.Omar));

        await using (await SubscriberRun.StartAsync(_emulator, writer, store))
        {
            Assert.True(await SubscriberRun.UntilAsync(() => writer.Calls >= 2));
            Assert.Null(await store.GetAsync(ChangeEvents.TaskTopic, default));
            writer.Failing = 0;
            Assert.True(await SubscriberRun.UntilAsync(() => writer.Latest.ContainsKey("00T5g00000CDCTA001")));
            Assert.True(await SubscriberRun.UntilAsync(() => store.GetAsync(ChangeEvents.TaskTopic, default).AsTask().Result is not null));
        }

        Assert.Equal(replayId, await store.GetAsync(ChangeEvents.TaskTopic, default));

        // Each retry is a new subscription from where the stored replay id says (none yet: the configured start).
        Assert.True(_emulator.Fetches.Count(f => f.TopicName == ChangeEvents.TaskTopic && f.ReplayPreset == ReplayPreset.Earliest) >= 2);
    }

    [Fact]
    public async Task OrgDown_NotChecked_NotRecorded_ReplayIdNotStored()
    {
        var store = Store();
        var writer = new RecordingWriter();
        _emulator.Publish(ChangeEvents.TaskTopic, ChangeEvents.TaskSchemaId, ChangeEvents.TaskCreate("00T5g00000CDCTA001", Ids.Omar));

        await using (await SubscriberRun.StartAsync(_emulator, writer, store, directory: new DownDirectory()))
            Assert.True(await SubscriberRun.UntilAsync(() => writer.Calls >= 2));

        Assert.Equal("not-checked", writer.Latest["00T5g00000CDCTA001"].Flag);
        Assert.Null(await store.GetAsync(ChangeEvents.TaskTopic, default));
    }

    [Fact]
    public async Task OwnWrites_SkippedByChangeOriginAndByCommitUser_NoEchoLoop_ButReplayIdAdvances()
    {
        var store = Store();
        var writer = new RecordingWriter();
        _emulator.Publish(ChangeEvents.TaskTopic, ChangeEvents.TaskSchemaId,
            ChangeEvents.TaskUpdate(Ids.Discovery, Ids.Jon, "com/salesforce/api/rest/62.0;client=CrmGuardrails", new Dictionary<string, object?> { ["Subject"] = "Moved" }));
        var last = _emulator.Publish(ChangeEvents.TaskTopic, ChangeEvents.TaskSchemaId, ChangeEvents.TaskCreate("00T5g00000CDCTA009", Ids.Omar, userId: Ids.Integration));

        await using (await SubscriberRun.StartAsync(_emulator, writer, store))
            Assert.True(await SubscriberRun.UntilAsync(() => store.GetAsync(ChangeEvents.TaskTopic, default).AsTask().Result is { } id && id.SequenceEqual(last)));

        Assert.Equal(0, writer.Calls);
    }

    [Fact]
    public async Task UpdateOfTheFlagFieldOnly_Skipped_ByTheChangedFieldsBitmap()
    {
        var store = Store();
        var writer = new RecordingWriter();
        var flagOnly = _emulator.Publish(ChangeEvents.TaskTopic, ChangeEvents.TaskSchemaId,
            ChangeEvents.TaskUpdate(Ids.Discovery, Ids.Jon, "com/salesforce/api/rest/62.0;client=Other", new Dictionary<string, object?> { ["CrmG_Flag__c"] = "flag" }));

        await using (await SubscriberRun.StartAsync(_emulator, writer, store))
            Assert.True(await SubscriberRun.UntilAsync(() => store.GetAsync(ChangeEvents.TaskTopic, default).AsTask().Result is { } id && id.SequenceEqual(flagOnly)));

        Assert.Equal(0, writer.Calls);
    }

    [Fact]
    public async Task UpdateOfAReadField_RecordReadWholeFromTheOrg_Checked()
    {
        var writer = new RecordingWriter();
        _emulator.Publish(ChangeEvents.TaskTopic, ChangeEvents.TaskSchemaId,
            ChangeEvents.TaskUpdate(Ids.Discovery, Ids.Jon, "com/salesforce/api/rest/62.0;client=Other", new Dictionary<string, object?> { ["Subject"] = "Discovery, moved" }));

        await using (await SubscriberRun.StartAsync(_emulator, writer, Store()))
            Assert.True(await SubscriberRun.UntilAsync(() => writer.Latest.ContainsKey(Ids.Discovery)));

        var outcome = writer.Latest[Ids.Discovery];
        Assert.Equal(GuardOperation.Update, outcome.Request.Operation);
        Assert.Equal("Discovery meeting", outcome.Request.Record.DisplayName);
    }

    [Fact]
    public async Task FlowControl_NeverMoreThanRequested_AsksForMoreAsItConsumes()
    {
        var writer = new RecordingWriter();
        for (var i = 1; i <= 5; i++)
            _emulator.Publish(ChangeEvents.TaskTopic, ChangeEvents.TaskSchemaId, ChangeEvents.TaskCreate($"00T5g00000CDCTA00{i}", Ids.Omar));

        await using (await SubscriberRun.StartAsync(_emulator, writer, Store(), configure: o => o.BatchSize = 2))
            Assert.True(await SubscriberRun.UntilAsync(() => writer.Latest.Count == 5));

        Assert.Equal(0, _emulator.OverDelivered);
        var fetches = _emulator.Fetches.Where(f => f.TopicName == ChangeEvents.TaskTopic).ToList();
        Assert.All(fetches, f => Assert.Equal(2, f.NumRequested));
        Assert.True(fetches.Count >= 3);
    }

    [Fact]
    public async Task ExpiredSession_SignsInAgainWithTheStaleToken_ThenSubscribes()
    {
        var writer = new RecordingWriter();
        _emulator.AccessToken = "token-2";
        var authentication = new TokenAuthentication("token-1", "token-2");
        _emulator.Publish(ChangeEvents.TaskTopic, ChangeEvents.TaskSchemaId, ChangeEvents.TaskCreate("00T5g00000CDCTA001", Ids.Omar));

        await using (await SubscriberRun.StartAsync(_emulator, writer, Store(), authentication, o => { o.Topics.Clear(); o.Topics.Add(ChangeEvents.TaskTopic); }))
            Assert.True(await SubscriberRun.UntilAsync(() => writer.Latest.ContainsKey("00T5g00000CDCTA001")));

        Assert.Contains("token-1", authentication.StaleTokens);
        Assert.True(_emulator.Unauthenticated >= 1);
    }

    [Fact]
    public async Task UnreadableEvent_SkippedAndLogged_LaterChangesStillFlagged()
    {
        var store = Store();
        var writer = new RecordingWriter();
        _emulator.Publish(ChangeEvents.TaskTopic, ChangeEvents.TaskSchemaId, [0xFF, 0xFF, 0xFF, 0x01]);
        var good = _emulator.Publish(ChangeEvents.TaskTopic, ChangeEvents.TaskSchemaId, ChangeEvents.TaskCreate("00T5g00000CDCTA001", Ids.Omar));

        await using (await SubscriberRun.StartAsync(_emulator, writer, store))
            Assert.True(await SubscriberRun.UntilAsync(() => writer.Latest.ContainsKey("00T5g00000CDCTA001")));

        Assert.Equal(1, writer.Calls);
        Assert.True(await SubscriberRun.UntilAsync(() => store.GetAsync(ChangeEvents.TaskTopic, default).AsTask().Result is { } id && id.SequenceEqual(good)));
    }

    [Fact]
    public void ChangedFieldsBitmap_TopLevelAndCompound_DecodedToFieldNames()
    {
        var schema = ChangeEvents.LeadSchema;
        var nameIndex = schema.Fields.Single(f => f.Name == "Name").Pos;

        var names = ChangeEventDecoder.ExpandBitmap(schema, [ChangeEvents.Bitmap(schema, ["Company", "CrmG_Flag__c"]), $"{nameIndex}-0x4"]);

        Assert.Equal(["Company", "CrmG_Flag__c", "Name.LastName"], names);
    }

    [Fact]
    public void Options_Invalid_EveryErrorListed()
    {
        var options = new ChangeEventSubscriberOptions { Endpoint = new Uri("http://pubsub.example.com"), BatchSize = 0 };
        options.Topics.Clear();

        var errors = OptionsValidation.Validate(options);

        Assert.Contains(errors, e => e.Contains("Topics", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("OrganizationId", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Endpoint", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("BatchSize", StringComparison.Ordinal));
    }
}
