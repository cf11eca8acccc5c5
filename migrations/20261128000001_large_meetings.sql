-- An all-hands fits in one room: up to 500 people, hosts included.
ALTER TABLE rooms DROP CONSTRAINT rooms_max_participants_check;
ALTER TABLE rooms ADD CONSTRAINT rooms_max_participants_check CHECK (max_participants BETWEEN 2 AND 500);
