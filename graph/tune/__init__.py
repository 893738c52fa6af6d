"""The engine tunes itself: validation splits carved from the data it holds, searches
over the item model, the baselines and the feed's blend, and the settings it stores."""
