using Avro;
using Avro.Generic;
using Avro.IO;

namespace CrmGuardrails.Salesforce.Flagging.Tests.ChangeEvents;

/// <summary>
/// Change events Avro-encoded as the Pub/Sub API sends them: a record whose first field is the
/// <c>ChangeEventHeader</c> "{entityName, recordIds[], changeType (CREATE/UPDATE/DELETE/UNDELETE), changeOrigin,
/// transactionKey, sequenceNumber, commitTimestamp, commitNumber, commitUser}" plus the bitmap fields (salesforce.md
/// §2.7, §10.D), then the object's fields, each optional (<c>["null", …]</c>), dateTimes as epoch milliseconds, the
/// person name a compound record.
/// </summary>
internal static class ChangeEvents
{
    public const string TaskTopic = "/data/TaskChangeEvent";
    public const string LeadTopic = "/data/LeadChangeEvent";
    public const string TaskSchemaId = "TaskSchema-1";
    public const string LeadSchemaId = "LeadSchema-1";

    private const string Header = """
        {"name":"ChangeEventHeader","type":{"type":"record","name":"ChangeEventHeader","namespace":"com.sforce.eventbus","fields":[
          {"name":"entityName","type":"string"},
          {"name":"recordIds","type":{"type":"array","items":"string"}},
          {"name":"changeType","type":{"type":"enum","name":"ChangeType","symbols":["CREATE","UPDATE","DELETE","UNDELETE","GAP_CREATE","GAP_UPDATE","GAP_DELETE","GAP_UNDELETE","GAP_OVERFLOW","SNAPSHOT"]}},
          {"name":"changeOrigin","type":"string"},
          {"name":"transactionKey","type":"string"},
          {"name":"sequenceNumber","type":"int"},
          {"name":"commitTimestamp","type":"long"},
          {"name":"commitNumber","type":"long"},
          {"name":"commitUser","type":"string"},
          {"name":"nulledFields","type":{"type":"array","items":"string"}},
          {"name":"diffFields","type":{"type":"array","items":"string"}},
          {"name":"changedFields","type":{"type":"array","items":"string"}}]}}
        """;

    public static readonly string TaskSchemaJson = """
        {"type":"record","name":"TaskChangeEvent","namespace":"com.sforce.eventbus","fields":[
        """ + Header + """
        ,
          {"name":"WhoId","type":["null","string"],"default":null},
          {"name":"WhatId","type":["null","string"],"default":null},
          {"name":"Subject","type":["null","string"],"default":null},
          {"name":"ActivityDate","type":["null",{"type":"int","logicalType":"date"}],"default":null},
          {"name":"Status","type":["null","string"],"default":null},
          {"name":"IsClosed","type":["null","boolean"],"default":null},
          {"name":"TaskSubtype","type":["null","string"],"default":null},
          {"name":"OwnerId","type":["null","string"],"default":null},
          {"name":"CreatedDate","type":["null","long"],"default":null},
          {"name":"LastModifiedDate","type":["null","long"],"default":null},
          {"name":"LastModifiedById","type":["null","string"],"default":null},
          {"name":"CrmG_Flag__c","type":["null","string"],"default":null}]}
        """;

    public static readonly string LeadSchemaJson = """
        {"type":"record","name":"LeadChangeEvent","namespace":"com.sforce.eventbus","fields":[
        """ + Header + """
        ,
          {"name":"Name","type":["null",{"type":"record","name":"Switchable_PersonName","fields":[
            {"name":"Salutation","type":["null","string"],"default":null},
            {"name":"FirstName","type":["null","string"],"default":null},
            {"name":"LastName","type":["null","string"],"default":null}]}],"default":null},
          {"name":"Company","type":["null","string"],"default":null},
          {"name":"Email","type":["null","string"],"default":null},
          {"name":"Status","type":["null","string"],"default":null},
          {"name":"IsConverted","type":["null","boolean"],"default":null},
          {"name":"OwnerId","type":["null","string"],"default":null},
          {"name":"CreatedDate","type":["null","long"],"default":null},
          {"name":"LastModifiedDate","type":["null","long"],"default":null},
          {"name":"LastModifiedById","type":["null","string"],"default":null},
          {"name":"CrmG_Flag__c","type":["null","string"],"default":null}]}
        """;

    public static RecordSchema TaskSchema { get; } = (RecordSchema)Schema.Parse(TaskSchemaJson);

    public static RecordSchema LeadSchema { get; } = (RecordSchema)Schema.Parse(LeadSchemaJson);

    public static readonly DateTime When = new(2026, 3, 2, 10, 0, 0, DateTimeKind.Utc);

    public static void AddTopics(PubSubEmulator emulator)
    {
        emulator.AddTopic(TaskTopic, TaskSchemaId, TaskSchemaJson);
        emulator.AddTopic(LeadTopic, LeadSchemaId, LeadSchemaJson);
    }

    public static byte[] TaskCreate(string taskId, string whoId, string userId = Ids.Ade, string origin = "com/salesforce/api/rest/62.0;client=SalesConsole") =>
        Encode(TaskSchema, "Task", [taskId], "CREATE", userId, origin, [], new Dictionary<string, object?>
        {
            ["WhoId"] = whoId, ["Subject"] = "Call", ["ActivityDate"] = new DateTime(2026, 3, 3), ["Status"] = "Not Started", ["IsClosed"] = false, ["TaskSubtype"] = "Call",
            ["OwnerId"] = userId, ["CreatedDate"] = Millis(When), ["LastModifiedDate"] = Millis(When), ["LastModifiedById"] = userId,
        });

    public static byte[] TaskUpdate(string taskId, string userId, string origin, IReadOnlyDictionary<string, object?> changed) =>
        Encode(TaskSchema, "Task", [taskId], "UPDATE", userId, origin, [Bitmap(TaskSchema, changed.Keys.Append("LastModifiedDate"))],
            new Dictionary<string, object?>(changed) { ["LastModifiedDate"] = Millis(When.AddMinutes(5)) });

    public static byte[] LeadCreate(string leadId, string company, string email, string userId = Ids.Jon) =>
        Encode(LeadSchema, "Lead", [leadId], "CREATE", userId, "com/salesforce/api/soap/62.0;client=Web-to-Lead", [], new Dictionary<string, object?>
        {
            ["Name"] = ("Kim", "Lee"), ["Company"] = company, ["Email"] = email, ["Status"] = "Open - Not Contacted", ["IsConverted"] = false,
            ["OwnerId"] = userId, ["CreatedDate"] = Millis(When), ["LastModifiedDate"] = Millis(When), ["LastModifiedById"] = userId,
        });

    /// <summary>The bitmap of top-level fields, as <c>changedFields</c> carries it: bit i is the schema's field i.</summary>
    public static string Bitmap(RecordSchema schema, IEnumerable<string> fields)
    {
        var bits = System.Numerics.BigInteger.Zero;
        foreach (var field in fields)
            bits |= System.Numerics.BigInteger.One << schema.Fields.Single(f => f.Name == field).Pos;
        return "0x" + bits.ToString("X", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0');
    }

    private static long Millis(DateTime time) => new DateTimeOffset(time).ToUnixTimeMilliseconds();

    private static byte[] Encode(RecordSchema schema, string entity, string[] recordIds, string changeType, string commitUser, string origin, string[] changedFields, IReadOnlyDictionary<string, object?> values)
    {
        var headerSchema = (RecordSchema)schema.Fields[0].Schema;
        var header = new GenericRecord(headerSchema);
        header.Add("entityName", entity);
        header.Add("recordIds", recordIds.Cast<object>().ToArray());
        header.Add("changeType", new GenericEnum((EnumSchema)headerSchema.Fields.Single(f => f.Name == "changeType").Schema, changeType));
        header.Add("changeOrigin", origin);
        header.Add("transactionKey", Guid.NewGuid().ToString());
        header.Add("sequenceNumber", 1);
        header.Add("commitTimestamp", Millis(When));
        header.Add("commitNumber", 10_000L);
        header.Add("commitUser", commitUser);
        header.Add("nulledFields", Array.Empty<object>());
        header.Add("diffFields", Array.Empty<object>());
        header.Add("changedFields", changedFields.Cast<object>().ToArray());

        var record = new GenericRecord(schema);
        record.Add("ChangeEventHeader", header);
        foreach (var field in schema.Fields.Skip(1))
        {
            values.TryGetValue(field.Name, out var value);
            if (value is ValueTuple<string, string> (var first, var last))
            {
                var nameSchema = ((UnionSchema)field.Schema).Schemas.OfType<RecordSchema>().Single();
                var name = new GenericRecord(nameSchema);
                name.Add("Salutation", null);
                name.Add("FirstName", first);
                name.Add("LastName", last);
                value = name;
            }

            record.Add(field.Name, value);
        }

        using var stream = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
