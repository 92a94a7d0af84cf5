using Processional.Serialization;

namespace Processional.Tests.Serialization;

/// <summary>
/// <see cref="VersionTolerantMembers"/> with hand-written formatters that read the member table as generated code
/// will: unknown members are skipped by their length, missing ones keep their defaults.
/// </summary>
public sealed class VersionTolerantTests
{
    public VersionTolerantTests() => TestFormatters.Register();

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Members_are_preceded_by_their_varint_lengths()
    {
        // Count 2, lengths 4 and 9, then the int and the string.
        Assert.Equal("02 04 09 01000000 FEFFFFFF0100000061".Replace(" ", "", StringComparison.Ordinal), Hex.Serialize(new ContractV1 { A = 1, B = "a" }));
        Assert.Equal("FF", Hex.Serialize<ContractV1>(null));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_newer_writer_is_read_by_an_older_reader_that_skips_the_unknown_member()
    {
        var bytes = ProcessionalSerializer.Serialize(new ContractV2 { A = 7, B = "bee", C = Enumerable.Range(0, 100).ToList() });

        var old = ProcessionalSerializer.Deserialize<ContractV1>(bytes);
        Assert.Equal((7, "bee"), (old!.A, old.B));

        // The same across segment boundaries, where Skip walks several segments.
        var segmented = ProcessionalSerializer.Deserialize<ContractV1>(Hex.Segmented(bytes, 3));
        Assert.Equal((7, "bee"), (segmented!.A, segmented.B));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task An_older_writer_is_read_by_a_newer_reader_that_fills_the_missing_member_with_its_default()
    {
        var bytes = ProcessionalSerializer.Serialize(new ContractV1 { A = 3, B = "c" });

        var read = ProcessionalSerializer.Deserialize<ContractV2>(bytes);
        Assert.Equal((3, "c"), (read!.A, read.B));
        Assert.Null(read.C);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Version_tolerant_objects_nest_in_collections_and_reuse_pooled_buffers()
    {
        var list = Enumerable.Range(0, 50).Select(static i => new ContractV2 { A = i, B = new string('x', i * 100), C = [i] }).ToList();

        var read = ProcessionalSerializer.Deserialize<List<ContractV2>>(ProcessionalSerializer.Serialize(list));
        Assert.Equal(list.Select(static c => (c.A, c.B, c.C![0])), read!.Select(static c => (c.A, c.B, c.C![0])));

        // The older reader skips each element's third member.
        var old = ProcessionalSerializer.Deserialize<List<ContractV1>>(ProcessionalSerializer.Serialize(list));
        Assert.Equal(list.Select(static c => c.B), old!.Select(static c => c.B));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_member_length_that_disagrees_with_the_member_is_rejected()
    {
        // The int claims 5 bytes but takes 4.
        var ex = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<ContractV1>(Hex.Bytes("02 05 09 01000000 FEFFFFFF0100000061")));
        Assert.Contains("took 4 bytes, but its length says 5", ex.Message, StringComparison.Ordinal);

        // An unknown member claims more bytes than remain.
        Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<ContractV1>(Hex.Bytes("03 04 09 7F 01000000 FEFFFFFF0100000061 00")));
        return Task.CompletedTask;
    }
}
