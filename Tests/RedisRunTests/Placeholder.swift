// Tests of leaselab redis live beside this file.
