using System.Collections.Immutable;
using Processional.Serialization;

namespace Processional.Tests.Serialization.Generated;

public sealed record OrderLine(string Product, int Quantity, decimal Price);

public sealed class Order
{
    public Guid Id { get; set; }

    public DateTimeOffset PlacedAt { get; set; }

    public List<OrderLine> Lines { get; set; } = [];

    public Dictionary<string, OrderLine[]> ByWarehouse { get; set; } = [];

    public IReadOnlyList<string> Tags { get; set; } = [];

    public ImmutableArray<int> Codes { get; set; }

    public (int Count, string Label)? Summary { get; set; }

    public Order? Previous { get; set; }
}

/// <summary>Generated formatters of user types whose members are framework collections holding user types.</summary>
public sealed class GeneratedCollectionMemberTests
{
    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_graph_of_user_types_inside_framework_collections_round_trips()
    {
        var line = new OrderLine("bolt", 3, 0.25m);
        var order = new Order
        {
            Id = Guid.NewGuid(),
            PlacedAt = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.FromHours(1)),
            Lines = [line, new OrderLine("nut", 10, 0.05m)],
            ByWarehouse = new() { ["north"] = [line], ["south"] = [] },
            Tags = ["urgent", "fragile"],
            Codes = [1, 2, 3],
            Summary = (2, "two lines"),
            Previous = new Order { Lines = [new OrderLine("washer", 1, 1m)] },
        };

        var copy = ProcessionalSerializer.Deserialize<Order>(ProcessionalSerializer.Serialize(order))!;

        Assert.Equal(order.Id, copy.Id);
        Assert.Equal(order.PlacedAt, copy.PlacedAt);
        Assert.Equal(order.Lines, copy.Lines);
        Assert.Equal(["north", "south"], copy.ByWarehouse.Keys.Order());
        Assert.Equal([line], copy.ByWarehouse["north"]);
        Assert.Empty(copy.ByWarehouse["south"]);
        Assert.Equal(order.Tags, copy.Tags);
        Assert.Equal(order.Codes.ToArray(), copy.Codes.ToArray()); // ImmutableArray equality compares array references
        Assert.Equal(order.Summary, copy.Summary);
        Assert.Equal(order.Previous.Lines, copy.Previous!.Lines);
        Assert.Null(copy.Previous.Previous);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Lists_and_dictionaries_of_user_types_round_trip_at_the_root()
    {
        List<OrderLine> lines = [new("a", 1, 1m), new("b", 2, 2m)];
        var byName = new Dictionary<string, List<OrderLine>> { ["x"] = lines };

        Assert.Equal(lines, ProcessionalSerializer.Deserialize<List<OrderLine>>(ProcessionalSerializer.Serialize(lines)));
        Assert.Equal(lines, ProcessionalSerializer.Deserialize<Dictionary<string, List<OrderLine>>>(ProcessionalSerializer.Serialize(byName))!["x"]);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_reference_cycle_is_reported_instead_of_overflowing_the_stack()
    {
        var order = new Order();
        order.Previous = order;

        var ex = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Serialize(order));

        Assert.Contains("reference cycle", ex.Message, StringComparison.Ordinal);
        return Task.CompletedTask;
    }
}
