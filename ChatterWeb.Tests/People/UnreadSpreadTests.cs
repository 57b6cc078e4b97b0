using System.Collections.Concurrent;
using ChatterWeb.Delivery;
using ChatterWeb.Notifications;
using Microsoft.Extensions.Time.Testing;

namespace ChatterWeb.Tests.People;

/// <summary>A gathering's person frames reach the user streams a slice of socket sends at a time, not as one burst.</summary>
public sealed class UnreadSpreadTests
{
    /// <summary>Records who each frame was for and when, on the test's clock: the time of a publish proves when it happened.</summary>
    private sealed class RecordingBus(TimeProvider clock) : IUserBus
    {
        public ConcurrentQueue<string> Published { get; } = new();
        public ConcurrentQueue<DateTimeOffset> At { get; } = new();

        public ValueTask PublishAsync(UserFrame frame)
        {
            At.Enqueue(clock.GetUtcNow());
            Published.Enqueue(frame.UserId);
            return ValueTask.CompletedTask;
        }

        public IDisposable Listen(string userId, Action<UserFrame> deliver) => throw new NotSupportedException();
    }

    private static async Task WaitForCountAsync(RecordingBus bus, int count)
    {
        for (var i = 0; i < 500 && bus.Published.Count < count; i++)
            await Task.Delay(10);
        Assert.Equal(count, bus.Published.Count);
    }

    private static readonly Func<string, int> OneTabEach = _ => 1;

    [Fact]
    public async Task Frames_go_out_a_slice_at_a_time_with_a_pause_between_slices_and_all_in_order()
    {
        var clock = new FakeTimeProvider();
        var bus = new RecordingBus(clock);
        var start = clock.GetUtcNow();
        var slice = UnreadWorker.SendsPerSlice; // people of one tab: one send each
        var people = Enumerable.Range(0, 2 * slice + 5).Select(i => $"person-{i}").ToList();

        // No synchronization context from here on: a wait on the clock that falls due resumes inside
        // clock.Advance, before it returns (with one, it would be posted and run later, at a later time).
        SynchronizationContext.SetSynchronizationContext(null);
        var publishing = UnreadWorker.PublishSpreadAsync(bus, people.Select(p => new UserFrame(p, new byte[] { 1 })), OneTabEach, clock, CancellationToken.None);

        await WaitForCountAsync(bus, slice);
        Assert.False(publishing.IsCompleted);

        clock.Advance(UnreadWorker.SlicePause - TimeSpan.FromTicks(1));
        clock.Advance(TimeSpan.FromTicks(1));
        await WaitForCountAsync(bus, 2 * slice);
        clock.Advance(UnreadWorker.SlicePause);
        await publishing.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(people, bus.Published.ToList());
        // Each publish carries the clock's time: the first slice went out at once, each later one
        // only once the clock had moved a whole pause on (not a tick before the pause was over).
        var pauses = bus.At.Select(t => (t - start) / UnreadWorker.SlicePause).ToList();
        Assert.Equal(people.Select((_, i) => (double)(i / slice)), pauses);
    }

    [Fact]
    public async Task One_slice_or_less_goes_out_at_once()
    {
        var bus = new RecordingBus(TimeProvider.System);
        var people = Enumerable.Range(0, UnreadWorker.SendsPerSlice).Select(i => $"person-{i}").ToList();

        // a clock that never moves: nothing may wait on it
        await UnreadWorker.PublishSpreadAsync(bus, people.Select(p => new UserFrame(p, new byte[] { 1 })), OneTabEach, new FakeTimeProvider(), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(people, bus.Published.ToList());
    }

    [Fact]
    public async Task A_slice_counts_each_persons_tabs_and_someone_with_more_tabs_than_a_slice_goes_alone()
    {
        var clock = new FakeTimeProvider();
        var bus = new RecordingBus(clock);
        var start = clock.GetUtcNow();
        var half = UnreadWorker.SendsPerSlice / 2;
        (string Person, int Tabs)[] order = [("crowd-a", 100), ("crowd-b", 100), ("one-a", 1), ("one-b", 1), ("half", half), ("half-again", half), ("one-c", 1)];
        var tabs = order.ToDictionary(o => o.Person, o => o.Tabs);
        var people = order.Select(o => o.Person).ToList();
        // By hand: crowd-a alone; crowd-b alone; one-a, one-b and half together (22 sends of 40);
        // half-again would make 42, so it starts the next slice, with one-c.
        double[] expected = [0, 1, 2, 2, 2, 3, 3];

        SynchronizationContext.SetSynchronizationContext(null);
        var publishing = UnreadWorker.PublishSpreadAsync(bus, people.Select(p => new UserFrame(p, new byte[] { 1 })), p => tabs[p], clock, CancellationToken.None);
        for (var pause = 1; pause <= 3; pause++)
        {
            await WaitForCountAsync(bus, Array.IndexOf(expected, pause)); // everything before this slice, and nothing of it yet
            clock.Advance(UnreadWorker.SlicePause);
        }
        await publishing.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(people, bus.Published.ToList());
        Assert.Equal(expected, bus.At.Select(t => (t - start) / UnreadWorker.SlicePause).ToList());
    }
}
