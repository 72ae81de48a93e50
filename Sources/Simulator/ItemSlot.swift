/// One place in the simulation's item table: an item waiting in the queue, or a free place.
///
/// Free places link to one another through the table itself, so queueing and taking an item each write the table
/// once; a separate stack of free slot numbers cost a second array's push and pop, with its uniqueness check, per
/// item.
enum ItemSlot {
    /// An item waiting in the queue.
    case queued(Item)
    /// A free place; `next` is the next free place, or -1 when there is none.
    case free(next: Int32)
}
