/// What an arena request holds: an activation tensor, or one scratch slot of an operator.
enum ArenaOwner {
    case tensor(Int)
    case scratch(op: Int, slot: Int)
}
