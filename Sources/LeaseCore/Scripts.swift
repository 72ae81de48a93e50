/// The Lua scripts of REDIS.md, sent with `EVAL` (never EVALSHA): one command, one trace event, and no NOSCRIPT
/// fallback to get wrong after a restart empties the script cache.
public enum Scripts {
    /// Compare-and-delete release. KEYS[1] = the lease key, ARGV[1] = our token. Returns 1 (deleted our lease),
    /// 0 (another token holds it) or -1 (no lease), so "the release found another owner" is observable.
    public static let release =
        #"local v = redis.call("get", KEYS[1]) if v == ARGV[1] then return redis.call("del", KEYS[1]) elseif v then return 0 else return -1 end"#

    /// Fenced write. KEYS[1] = the cache key, KEYS[2] = the lease key, ARGV = value, token, cache TTL in seconds.
    /// Returns `+OK` when stored, 0 when refused because the lease is no longer ours.
    public static let fencedWrite =
        #"if redis.call("get", KEYS[2]) == ARGV[2] then return redis.call("set", KEYS[1], ARGV[1], "EX", ARGV[3]) else return 0 end"#
}
