// The names the two readers' values had before they shared one type; kept so that code written
// against them still compiles. YAML's `.sequence` and `.mapping` cases are now `.array` and `.table`,
// and `kindDescription` is `kindDescription(in: .toml)` or `kindDescription(in: .yaml)`.

@available(*, deprecated, renamed: "ConfigurationValue") public typealias TOMLValue = ConfigurationValue
@available(*, deprecated, renamed: "ConfigurationValue") public typealias YAMLValue = ConfigurationValue
@available(*, deprecated, renamed: "ConfigurationTable") public typealias TOMLTable = ConfigurationTable
@available(*, deprecated, renamed: "ConfigurationTable") public typealias YAMLMapping = ConfigurationTable
@available(*, deprecated, renamed: "ConfigurationReadError") public typealias TOMLError = ConfigurationReadError
@available(*, deprecated, renamed: "ConfigurationReadError") public typealias YAMLError = ConfigurationReadError
