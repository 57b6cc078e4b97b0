using ChatterWeb.Bench.Scenarios;

namespace ChatterWeb.Bench.Tests;

/// <summary>
/// The office day's plan, worked out from its settings and seed alone: long-tailed room sizes,
/// memberships and tabs, and a timetable in which every message comes from a tab open in its room.
/// </summary>
public class OfficeDayPlanTests
{
    /// <summary>The command's defaults.</summary>
    private static readonly OfficeDaySettings Day = new(
        People: 2000, Rooms: 300, DirectRooms: 100, MaxTabs: 3, ActiveShare: 0.3, MessagesPerMinute: 3,
        BurstsPerMinute: 2, BurstRate: 4, ChurnPerHour: 12, MentionShare: 0.1,
        Duration: 120, Warmup: 30, Grace: 5, Seed: 1, ConnectParallel: 32);

    private static readonly Lazy<OfficeDayPlan> Plan = new(() => OfficeDayPlan.Build(Day));

    [Fact]
    public void Room_sizes_fall_off_as_one_over_rank_a_few_of_a_thousand_or_more_most_under_20()
    {
        var sizes = OfficeDayPlan.RoomSizes(2000, 300);

        Assert.Equal([2000, 1000, 667, 500, 400], sizes[..5]);
        Assert.Equal(300, sizes.Length);
        Assert.All(sizes.Zip(sizes.Skip(1)), pair => Assert.True(pair.First >= pair.Second));
        Assert.Equal(7, sizes.Min()); // 2000 / 300
        Assert.Equal(3, OfficeDayPlan.RoomSizes(2000, 1000).Min());
        Assert.Equal(2, sizes.Count(x => x >= 1000));
        Assert.Equal(198, sizes.Count(x => x < 20));
    }

    [Fact]
    public void A_small_population_has_rooms_of_at_least_three_or_everyone()
    {
        Assert.Equal([10, 5, 3, 3], OfficeDayPlan.RoomSizes(10, 4));
        Assert.Equal([2, 2, 2], OfficeDayPlan.RoomSizes(2, 3));
    }

    [Fact]
    public void The_same_seed_gives_the_same_day_and_another_seed_another()
    {
        var again = OfficeDayPlan.Build(Day);
        var other = OfficeDayPlan.Build(Day with { Seed = 2 });

        Assert.Equal(Plan.Value.Events, again.Events);
        Assert.Equal(Plan.Value.Messages, again.Messages);
        Assert.Equal(Plan.Value.Tabs, again.Tabs);
        Assert.NotEqual(Plan.Value.Messages.Take(50), other.Messages.Take(50));
    }

    [Fact]
    public void Rooms_have_their_sizes_in_distinct_people_and_direct_rooms_are_distinct_pairs_and_small_groups()
    {
        var plan = Plan.Value;
        var sizes = OfficeDayPlan.RoomSizes(Day.People, Day.Rooms);

        Assert.Equal(Day.Rooms + Day.DirectRooms, plan.Members.Count);
        for (var r = 0; r < Day.Rooms; r++)
        {
            Assert.Equal(sizes[r], plan.Members[r].Length);
            Assert.Equal(sizes[r], plan.Members[r].Distinct().Count());
        }
        var direct = plan.Members.Skip(Day.Rooms).ToList();
        Assert.All(direct, d => Assert.InRange(d.Length, 2, 5));
        Assert.Equal(direct.Count, direct.Select(d => string.Join(',', d.Order())).Distinct().Count());
        Assert.InRange(direct.Count(d => d.Length == 2), 55, 85); // about 70% pairs
        Assert.Equal(sizes.Sum() + direct.Sum(d => d.Length), plan.RoomsOf.Sum(r => r.Length));
    }

    [Fact]
    public void Everyone_starts_with_one_to_three_tabs_in_their_own_rooms_one_of_them_visible()
    {
        var plan = Plan.Value;
        var first = plan.Tabs.Take(plan.InitialTabs).ToList();

        foreach (var person in first.GroupBy(t => t.Person))
        {
            Assert.InRange(person.Count(), 1, Day.MaxTabs);
            Assert.Single(person, t => t.Visible);
            Assert.All(person, t => Assert.Contains(t.Room, plan.RoomsOf[t.Person]));
        }
        Assert.Equal(Day.People, first.Select(t => t.Person).Distinct().Count());
        Assert.All(plan.Tabs.Skip(plan.InitialTabs), t => Assert.Contains(t.Room, plan.RoomsOf[t.Person]));
    }

    [Fact]
    public void Every_message_comes_from_a_tab_open_in_its_room_for_a_while_and_most_after_typing()
    {
        var plan = Plan.Value;
        var open = new HashSet<int>(Enumerable.Range(0, plan.InitialTabs));
        var lastTyping = new Dictionary<int, double>();
        var typedFirst = 0;
        foreach (var e in plan.Events)
        {
            switch (e.Kind)
            {
                case OfficeDayPlan.Kind.Open:
                    Assert.True(open.Add(e.Index), $"tab {e.Index} opened twice");
                    break;
                case OfficeDayPlan.Kind.Close:
                    Assert.True(open.Remove(e.Index), $"tab {e.Index} closed while not open");
                    break;
                case OfficeDayPlan.Kind.Typing:
                    Assert.Contains(e.Index, open);
                    lastTyping[e.Index] = e.At;
                    break;
                case OfficeDayPlan.Kind.Message:
                    var m = plan.Messages[e.Index];
                    var tab = plan.Tabs[m.Tab];
                    Assert.Contains(m.Tab, open);
                    Assert.Equal(tab.Room, m.Room);
                    Assert.True(tab.OpenAt <= m.At - OfficeDayPlan.ReadyMargin, $"message {e.Index} from a tab opened at {tab.OpenAt} s");
                    if (lastTyping.TryGetValue(m.Tab, out var typed) && m.At - typed <= 3)
                        typedFirst++;
                    break;
            }
        }
        Assert.True(typedFirst >= 0.95 * plan.Messages.Count, $"{typedFirst} of {plan.Messages.Count} messages came after typing");
        Assert.Equal(plan.Messages.OrderBy(m => m.At), plan.Messages);
    }

    [Fact]
    public void Traffic_is_a_few_messages_a_minute_per_posting_person_with_bursts_a_busy_room_and_one_in_ten_mentioning()
    {
        var plan = Plan.Value;
        var steady = plan.Messages.Count(m => !m.Burst);
        var expected = Day.People * Day.ActiveShare * Day.MessagesPerMinute / 60 * Day.Length; // 4,500

        Assert.InRange(steady + plan.PostsWithoutTab, 0.93 * expected, 1.07 * expected);
        Assert.True(plan.PostsWithoutTab < 0.01 * expected, $"{plan.PostsWithoutTab} posts dropped");
        Assert.InRange(plan.Messages.Count(m => m.Burst), 30, 300);
        var busiest = plan.Messages.GroupBy(m => m.Room).Max(g => g.Count()) / Day.Length;
        Assert.True(busiest >= 2, $"the busiest room has {busiest:0.0} msg/s");
        var busiestSecond = plan.Messages.GroupBy(m => (m.Room, (int)m.At)).Max(g => g.Count());
        Assert.True(busiestSecond >= 4, $"the busiest second of a room has {busiestSecond} messages");

        var mentions = plan.Messages.Where(m => m.Mention >= 0).ToList();
        Assert.InRange(mentions.Count / (double)plan.Messages.Count, 0.08, 0.12);
        Assert.All(mentions, m =>
        {
            Assert.Contains(m.Mention, plan.Members[m.Room]);
            Assert.NotEqual(plan.Tabs[m.Tab].Person, m.Mention);
        });
    }

    [Fact]
    public void Tabs_churn_at_the_rate_asked_and_a_closed_tab_is_replaced_by_one_of_the_same_person()
    {
        var plan = Plan.Value;
        var closes = plan.Events.Where(e => e.Kind == OfficeDayPlan.Kind.Close).ToList();
        var opens = plan.Events.Where(e => e.Kind == OfficeDayPlan.Kind.Open).ToList();
        var expected = Day.People * Day.ChurnPerHour / 3600 * Day.Length; // 1,000

        Assert.InRange(closes.Count, 0.9 * expected, 1.1 * expected);
        Assert.InRange(opens.Count, closes.Count - 10, closes.Count);
        Assert.Equal(plan.Tabs.Count - plan.InitialTabs, opens.Count);
        Assert.All(opens, o => Assert.Contains(closes, c => plan.Tabs[c.Index].Person == plan.Tabs[o.Index].Person && c.At < o.At && o.At - c.At <= 3));
        var moved = opens.Count(o => plan.Tabs[o.Index].Room != plan.Tabs[closes.Last(c => plan.Tabs[c.Index].Person == plan.Tabs[o.Index].Person && c.At < o.At).Index].Room);
        Assert.InRange(moved / (double)opens.Count, 0.15, 0.5); // now and then in another room
    }
}
