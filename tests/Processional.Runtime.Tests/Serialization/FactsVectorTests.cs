using Processional.Serialization;

namespace Processional.Tests.Serialization;

/// <summary>
/// Every test vector of <c>shared/docs/facts.md</c> that the core tests (<see cref="CoreVectorTests"/>: strings, varints,
/// int, double) do not already cover, each its own test. Objects use the hand-written stand-ins for generated formatters.
/// </summary>
public sealed class FactsVectorTests
{
    public FactsVectorTests() => TestFormatters.Register();

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Int_array_matches_the_vector()
    {
        Assert.Equal("020000000100000002000000", Hex.Serialize(new[] { 1, 2 }));
        Assert.Equal([1, 2], ProcessionalSerializer.Deserialize<int[]>(Hex.Bytes("02000000 01000000 02000000"))!);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task List_of_int_has_the_same_bytes_as_the_array()
    {
        Assert.Equal("020000000100000002000000", Hex.Serialize(new List<int> { 1, 2 }));
        Assert.Equal([1, 2], ProcessionalSerializer.Deserialize<List<int>>(Hex.Bytes("02000000 01000000 02000000")));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Class_with_two_ints_matches_the_vector()
    {
        Assert.Equal("020100000002000000", Hex.Serialize(new Point { X = 1, Y = 2 }));
        var read = ProcessionalSerializer.Deserialize<Point>(Hex.Bytes("02 01000000 02000000"));
        Assert.Equal((1, 2), (read!.X, read.Y));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Null_class_is_FF()
    {
        Assert.Equal("FF", Hex.Serialize<Point>(null));
        Assert.Null(ProcessionalSerializer.Deserialize<Point>(Hex.Bytes("FF")));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Person_matches_the_vector()
    {
        Assert.Equal("0228000000FBFFFFFF040000004A6F686E", Hex.Serialize(new Person { Age = 40, Name = "John" }));
        var read = ProcessionalSerializer.Deserialize<Person>(Hex.Bytes("02 28000000 FBFFFFFF 04000000 4A6F686E"));
        Assert.Equal((40, "John"), (read!.Age, read.Name));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Dictionary_of_int_to_int_matches_the_vector()
    {
        Assert.Equal("010000000100000002000000", Hex.Serialize(new Dictionary<int, int> { [1] = 2 }));
        Assert.Equal(new Dictionary<int, int> { [1] = 2 }, ProcessionalSerializer.Deserialize<Dictionary<int, int>>(Hex.Bytes("01000000 01000000 02000000")));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Value_tuple_of_int_and_string_matches_the_vector()
    {
        Assert.Equal("01000000FEFFFFFF0100000061", Hex.Serialize((1, "a")));
        Assert.Equal((1, "a"), ProcessionalSerializer.Deserialize<(int, string)>(Hex.Bytes("01000000 FEFFFFFF 01000000 61")));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Union_tag_0_matches_the_vector()
    {
        Assert.Equal("0001E7030000", Hex.Serialize<IShape>(new Xyz { XYZ = 999 }));
        var read = ProcessionalSerializer.Deserialize<IShape>(Hex.Bytes("00 01 E7030000"));
        Assert.Equal(999, Assert.IsType<Xyz>(read).XYZ);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Object_reader_fills_missing_members_with_defaults_and_rejects_extra_ones()
    {
        var fewer = ProcessionalSerializer.Deserialize<Point>(Hex.Bytes("01 07000000"));
        Assert.Equal((7, 0), (fewer!.X, fewer.Y));

        var ex = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<Point>(Hex.Bytes("03 01000000 02000000 03000000")));
        Assert.Contains("not 3", ex.Message, StringComparison.Ordinal);
        return Task.CompletedTask;
    }
}
