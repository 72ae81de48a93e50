// Placeholder while the target is written; removed before commit.
