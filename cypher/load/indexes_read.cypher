// @name indexes_read
// @description Every index, with the statement that creates it and the constraint that
// @description owns it, if any (see constraints_read).
SHOW INDEXES YIELD name, owningConstraint, createStatement
RETURN name, owningConstraint, createStatement
