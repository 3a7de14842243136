/// A value shared by reference, so a task that cannot take `inout` can still hand it back: train's fit hands its
/// curves back through one, range-test and predict the rows done when a signal stopped them.
///
/// ```swift
/// let stopped = Box<Int?>(nil)
/// try work { rows in stopped.value = rows }   // a closure that cannot capture an inout
/// stopped.value                               // the rows, or nil
/// ```
package final class Box<Value> {
    package var value: Value
    package init(_ value: Value) { self.value = value }
}
